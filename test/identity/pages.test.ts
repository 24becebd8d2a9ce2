import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postGraphQL, startTestServer, type TestServer } from '../support/server.js';

/** The links in identity emails work for a person with a browser: GET shows a form, POST acts. */
let server: TestServer;
let base: string;
beforeAll(async () => {
  server = await startTestServer();
  base = `http://127.0.0.1:${server.app.port}`;
});
afterAll(() => server.stop());

const REGISTER = `mutation($input: RegisterInput!) { register(input: $input) { accessToken user { id } } }`;

async function register(email: string, organizationName: string) {
  const { json } = await postGraphQL(server.graphqlUrl, {
    query: REGISTER,
    variables: {
      input: { userType: 'CLIENT', email, password: 'Corr3ct-Horse!', profile: { firstName: 'Pat', lastName: 'Page' }, organizationName, organizationType: 'COLLEGE' },
    },
  });
  return (json!.data as { register: { accessToken: string } }).register.accessToken;
}

function tokenOf(link: string): string {
  return new URL(link).searchParams.get('token')!;
}

async function submit(path: string, fields: Record<string, string>) {
  const response = await fetch(`${base}${path}`, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });
  return { status: response.status, html: await response.text() };
}

describe('pages behind email links', () => {
  it('verify-email: GET shows a form and changes nothing; POST confirms once', async () => {
    const accessToken = await register('pat@page.test', 'Page College');
    const mail = await server.app.mailer.capture!.waitFor({ to: 'pat@page.test', kind: 'verify-email' });
    const link = mail.links.find((l) => l.includes('/verify-email'))!;
    expect(link.startsWith(server.config.publicUrl)).toBe(true);

    const shown = await fetch(link.replace(server.config.publicUrl, base));
    expect(shown.status).toBe(200);
    expect(shown.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await shown.text();
    expect(html).toContain('<form method="post" action="/verify-email">');
    const me = async () =>
      (await postGraphQL(server.graphqlUrl, { query: '{ me { emailVerified } }' }, { authorization: `Bearer ${accessToken}` })).json!.data as {
        me: { emailVerified: boolean };
      };
    expect((await me()).me.emailVerified).toBe(false);

    const done = await submit('/verify-email', { token: tokenOf(link) });
    expect(done.status).toBe(200);
    expect(done.html).toContain('pat@page.test is confirmed');
    expect((await me()).me.emailVerified).toBe(true);

    const again = await submit('/verify-email', { token: tokenOf(link) });
    expect(again.status).toBe(400);
    expect(again.html).toContain('already used');
  });

  it('reset-password: the emailed link sets a new password', async () => {
    await register('quinn@page.test', 'Quinn College');
    await postGraphQL(server.graphqlUrl, { query: 'mutation { requestPasswordReset(email: "quinn@page.test") }' });
    const mail = await server.app.mailer.capture!.waitFor({ to: 'quinn@page.test', kind: 'password-reset' });
    const token = tokenOf(mail.links.find((l) => l.includes('/reset-password'))!);

    const weak = await submit('/reset-password', { token, newPassword: 'short' });
    expect(weak.status).toBe(400);
    expect(weak.html).toContain('at least 10 characters');

    const done = await submit('/reset-password', { token, newPassword: 'N3w-Passw0rd-Ok' });
    expect(done.html).toContain('Your password is changed');
    const login = await postGraphQL(server.graphqlUrl, { query: 'mutation { login(email: "quinn@page.test", password: "N3w-Passw0rd-Ok") { accessToken } }' });
    expect(login.json?.errors).toBeUndefined();
  });

  it('accept-invitation: a new person joins with names and a password', async () => {
    const ownerToken = await register('owner@page.test', 'Owner College');
    const verification = await server.app.mailer.capture!.waitFor({ to: 'owner@page.test', kind: 'verify-email' });
    const unverified = await postGraphQL(
      server.graphqlUrl,
      { query: 'mutation { inviteMember(email: "early@page.test") { id } }' },
      { authorization: `Bearer ${ownerToken}` },
    );
    expect(unverified.json?.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' }, message: expect.stringContaining('Verify your email address before you invite colleagues') });
    await submit('/verify-email', { token: tokenOf(verification.links[0]!) });
    const invite = await postGraphQL(
      server.graphqlUrl,
      { query: 'mutation { inviteMember(email: "newbie@page.test") { id status } }' },
      { authorization: `Bearer ${ownerToken}` },
    );
    expect(invite.json?.data).toEqual({ inviteMember: { id: expect.any(String), status: 'PENDING' } });
    const mail = await server.app.mailer.capture!.waitFor({ to: 'newbie@page.test', kind: 'invitation' });
    const token = tokenOf(mail.links.find((l) => l.includes('/accept-invitation'))!);

    const done = await submit('/accept-invitation', { token, firstName: 'Nia', lastName: 'New', password: 'Welc0me-Aboard!' });
    expect(done.html).toContain('Welcome, Nia');
    const login = await postGraphQL(server.graphqlUrl, {
      query: 'mutation { login(email: "newbie@page.test", password: "Welc0me-Aboard!") { user { emailVerified organizationRole organization { name } } } }',
    });
    expect(login.json?.data).toEqual({ login: { user: { emailVerified: true, organizationRole: 'MEMBER', organization: { name: 'Owner College' } } } });
  });

  it('a link without a token says so', async () => {
    const response = await fetch(`${base}/verify-email`);
    expect(await response.text()).toContain('missing its token');
  });
});
