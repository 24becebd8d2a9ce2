import { pino } from 'pino';
import { notListening } from '../../src/platform/live.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthService } from '../../src/identity/auth.service.js';
import { DomainEvents } from '../../src/platform/events.js';
import { scopeToTenant } from '../../src/platform/tenant.js';
import { expectError, gql } from '../support/graphql.js';
import { PASSWORD, registerClient, uniqueEmail } from '../support/identity.js';
import { startTestServer, type TestServer } from '../support/server.js';

const LOGIN = 'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }';

describe('login throttling per email', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ AUTH_LOGIN_MAX_FAILURES: '5', AUTH_LOGIN_WINDOW_MINUTES: '15', AUTH_IP_LIMIT_PER_MINUTE: '1000' });
  });
  afterAll(() => server.stop());

  it('5 wrong passwords are UNAUTHENTICATED; the 6th attempt, even right, is RATE_LIMITED; other emails are not', async () => {
    const victim = await registerClient(server);
    const bystander = await registerClient(server);

    for (let attempt = 1; attempt <= 5; attempt++) {
      // The count is per email, whatever its case.
      const email = attempt % 2 ? victim.email : victim.email.toUpperCase();
      expectError(await gql(server, LOGIN, { email, password: `Wrong-Password-${attempt}` }), 'UNAUTHENTICATED', 'Wrong email or password.');
    }

    const locked = await gql(server, LOGIN, { email: victim.email, password: victim.password });
    const error = expectError(locked, 'RATE_LIMITED', /Too many failed sign-ins for this email: try again in \d+ min, or reset your password/);
    expect(locked.data ?? null).toBeNull();
    const retryAfterSeconds = error.extensions?.retryAfterSeconds;
    expect(typeof retryAfterSeconds).toBe('number');
    expect(retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(retryAfterSeconds).toBeLessThanOrEqual(900);
    // Still locked on the next try: the right password does not reset the count.
    expectError(await gql(server, LOGIN, { email: victim.email, password: victim.password }), 'RATE_LIMITED');

    const other = await gql(server, LOGIN, { email: bystander.email, password: bystander.password });
    expect(other.errors).toEqual([]);
    expect((other.data as { login: { accessToken: string } }).login.accessToken).toBeTruthy();
  });

  it('concurrent wrong passwords cannot get more than 5 guesses past the limit', async () => {
    const client = await registerClient(server);
    const attempts = await Promise.all(
      Array.from({ length: 30 }, (_, i) => gql(server, LOGIN, { email: client.email, password: `Wrong-Password-${i}` })),
    );
    const codes = attempts.map((r) => r.errors[0]?.extensions?.code);
    expect(codes.every((code) => code === 'UNAUTHENTICATED' || code === 'RATE_LIMITED')).toBe(true);
    // Each UNAUTHENTICATED answer is a password actually checked: at most the limit.
    expect(codes.filter((code) => code === 'UNAUTHENTICATED').length, JSON.stringify(codes)).toBeLessThanOrEqual(5);
    expectError(await gql(server, LOGIN, { email: client.email, password: client.password }), 'RATE_LIMITED');
  });

  it('a successful sign-in clears the failures before the limit', async () => {
    const client = await registerClient(server);
    for (let attempt = 1; attempt <= 4; attempt++) {
      expectError(await gql(server, LOGIN, { email: client.email, password: 'Wrong-Password-0' }), 'UNAUTHENTICATED');
    }
    expect((await gql(server, LOGIN, { email: client.email, password: client.password })).errors).toEqual([]);
    for (let attempt = 1; attempt <= 4; attempt++) {
      expectError(await gql(server, LOGIN, { email: client.email, password: 'Wrong-Password-0' }), 'UNAUTHENTICATED');
    }
    expect((await gql(server, LOGIN, { email: client.email, password: client.password })).errors).toEqual([]);
  });

  it('unknown emails are throttled the same way (no account enumeration by the lock)', async () => {
    const ghost = uniqueEmail('ghost');
    for (let attempt = 1; attempt <= 5; attempt++) expectError(await gql(server, LOGIN, { email: ghost, password: PASSWORD }), 'UNAUTHENTICATED');
    expectError(await gql(server, LOGIN, { email: ghost, password: PASSWORD }), 'RATE_LIMITED');
  });
});

describe('per-IP limit on auth mutations', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ AUTH_IP_LIMIT_PER_MINUTE: '3' });
  });
  afterAll(() => server.stop());

  it('counts aliased fields of one request separately, and keeps limiting the next request', async () => {
    // The account is made through the service, so that no auth mutation has been counted yet.
    const email = uniqueEmail('ip');
    const em = scopeToTenant(server.app.orm.em.fork(), { none: true });
    const services = { config: server.config, mailer: server.app.mailer, events: new DomainEvents({}), live: notListening, payments: null };
    await new AuthService(em, services, pino({ level: 'silent' })).register({
      userType: 'CONSULTANT',
      email,
      password: PASSWORD,
      profile: { firstName: 'Ian', lastName: 'Address' },
    });

    // Each alias signs in successfully (mutations run one after another) until the 4th.
    const aliases = [1, 2, 3, 4].map((n) => `a${n}: login(email: $email, password: $password) { accessToken }`).join('\n');
    const burst = await gql(server, `mutation($email: String!, $password: String!) { ${aliases} }`, { email, password: PASSWORD });
    expect(burst.errors).toHaveLength(1);
    const error = expectError(burst, 'RATE_LIMITED', /Too many sign-in requests from your address: try again in \d+ s/);
    expect(error.path).toEqual(['a4']);
    const retryAfterSeconds = error.extensions?.retryAfterSeconds as number;
    expect(retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(retryAfterSeconds).toBeLessThanOrEqual(60);

    const next = await gql(server, LOGIN, { email, password: PASSWORD });
    expectError(next, 'RATE_LIMITED', /from your address/);
    expect(next.status).toBe(429);
    // Other auth mutations share the limit.
    expectError(await gql(server, 'mutation { requestPasswordReset(email: "someone@globex.test") }'), 'RATE_LIMITED');
    // Operations that are not auth mutations are not limited.
    expect((await gql(server, '{ packages { code } }')).errors).toEqual([]);
  });
});
