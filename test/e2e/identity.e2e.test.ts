import { createSerenityClient, MeDocument, MembersDocument, SerenityError } from '@serenity/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/identity/identity.seed.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

describe('signing in through the SDK', () => {
  it('login → me → refresh → logout, as a partner integration would', async () => {
    const client = createSerenityClient({ url: server.graphqlUrl });
    const session = await client.login('jane.smith@acme.example', DEMO_PASSWORD);
    expect(session.user).toMatchObject({
      email: 'jane.smith@acme.example',
      roles: ['CLIENT'],
      emailVerified: true,
      organizationRole: 'OWNER',
      organization: { name: 'Acme Corporation', type: 'COMPANY' },
      clientProfile: { code: expect.stringMatching(/^CLI-ACME-\d{8}-\d{3}$/) },
      consultantProfile: null,
    });

    const { me } = await client.request(MeDocument);
    expect(me?.organizations).toEqual([{ role: 'OWNER', active: true, organization: { id: session.user.organization!.id, name: 'Acme Corporation', type: 'COMPANY' } }]);
    const { members } = await client.request(MembersDocument);
    expect(members.map((m) => m.user.email)).toEqual(['jane.smith@acme.example']);

    const refreshed = await client.refresh();
    expect(refreshed.refreshToken).not.toBe(session.refreshToken);
    expect((await client.request(MeDocument)).me?.email).toBe('jane.smith@acme.example');

    await client.logout();
    expect(client.session).toBeNull();
    const stale = createSerenityClient({ url: server.graphqlUrl, accessToken: refreshed.accessToken });
    const error = await stale.request(MeDocument).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SerenityError);
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
  });

  it('a wrong password is UNAUTHENTICATED', async () => {
    const error = await createSerenityClient({ url: server.graphqlUrl }).login('jane.smith@acme.example', 'Wrong-Passw0rd!').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED', message: 'Wrong email or password.' });
  });
});
