/**
 * An organization's billing details: set by its owners (admins: any organization's, named),
 * read by its members, checked field by field (a typed error naming the field, nothing
 * written), and hidden from everyone else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifiedClient, type TestClient } from '../support/booking.js';
import { expectError, gql, gqlOk } from '../support/graphql.js';
import { demoSignIn, mailToken, PASSWORD, registerConsultant, sql, uniqueEmail } from '../support/identity.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let admin: string;

beforeAll(async () => {
  server = await startTestServer();
  admin = await demoSignIn(server, 'admin@serenity.local');
});
afterAll(() => server.stop());

const FIELDS = 'legalName address taxId email updatedAt';
const UPDATE = `mutation($input: BillingDetailsInput!, $org: ID) { updateBillingDetails(input: $input, organizationId: $org) { ${FIELDS} } }`;
const READ = `query($org: ID) { billingDetails(organizationId: $org) { ${FIELDS} } }`;
const ACME = { legalName: 'Acme Corporation Ltd', address: '  221B Baker Street\n\nLondon NW1 6XE \nUnited Kingdom', taxId: 'GB 123 4567 89', email: 'Accounts@Acme.example' };

/** A member (not an owner) of the owner's organization, signed in. */
async function memberOf(owner: TestClient): Promise<string> {
  const email = uniqueEmail('member');
  await gqlOk(server, 'mutation($e: String!) { inviteMember(email: $e) { id } }', { e: email }, owner.token);
  const token = await mailToken(server, email, 'invitation');
  const data = await gqlOk<{ acceptInvitation: { accessToken: string } }>(
    server,
    'mutation($t: String!, $p: String, $pr: ProfileInput) { acceptInvitation(token: $t, password: $p, profile: $pr) { accessToken } }',
    { t: token, p: PASSWORD, pr: { firstName: 'Mia', lastName: 'Member' } },
    undefined,
  );
  return data.acceptInvitation.accessToken;
}

describe('updateBillingDetails', () => {
  it('owners set them (cleaned), members read them on billingDetails and Organization.billingDetails; a second call replaces them', async () => {
    const owner = await verifiedClient(server, { organizationName: 'Acme' });
    expect((await gqlOk(server, READ, {}, owner.token)).billingDetails).toBeNull();
    const { updateBillingDetails } = await gqlOk(server, UPDATE, { input: ACME }, owner.token);
    expect(updateBillingDetails).toMatchObject({ legalName: 'Acme Corporation Ltd', address: '221B Baker Street\nLondon NW1 6XE\nUnited Kingdom', taxId: 'GB 123 4567 89', email: 'accounts@acme.example' });

    const member = await memberOf(owner);
    expect((await gqlOk(server, READ, {}, member)).billingDetails.legalName).toBe('Acme Corporation Ltd');
    expect((await gqlOk(server, '{ organization { billingDetails { legalName taxId } } }', {}, member)).organization.billingDetails).toEqual({ legalName: 'Acme Corporation Ltd', taxId: 'GB 123 4567 89' });

    const replaced = await gqlOk(server, UPDATE, { input: { legalName: 'Acme Corp. Ltd', address: 'Main St 1\nBerlin' } }, owner.token);
    expect(replaced.updateBillingDetails).toMatchObject({ legalName: 'Acme Corp. Ltd', address: 'Main St 1\nBerlin', taxId: null, email: null });
    expect(await sql(server, 'SELECT count(*)::int AS n FROM billing_details WHERE organization_id = ?', [owner.organizationId])).toEqual([{ n: 1 }]);
  });

  it('members, consultants and anonymous callers may not set them; admins set any organization’s by naming it', async () => {
    const owner = await verifiedClient(server);
    const member = await memberOf(owner);
    const consultant = (await registerConsultant(server)).accessToken;
    expectError(await gql(server, UPDATE, { input: ACME }, member), 'FORBIDDEN', /Only an owner/);
    expectError(await gql(server, UPDATE, { input: ACME }, consultant), 'FORBIDDEN');
    expectError(await gql(server, UPDATE, { input: ACME }), 'UNAUTHENTICATED');
    expectError(await gql(server, READ, {}, consultant), 'FORBIDDEN');
    // A client naming another organization (even its own id is implied, never named).
    const other = await verifiedClient(server);
    expectError(await gql(server, UPDATE, { input: ACME, org: other.organizationId }, owner.token), 'FORBIDDEN', /Only admins name an organization/);
    expectError(await gql(server, READ, { org: other.organizationId }, owner.token), 'FORBIDDEN');
    expect(await sql(server, 'SELECT count(*)::int AS n FROM billing_details WHERE organization_id IN (?, ?)', [owner.organizationId, other.organizationId])).toEqual([{ n: 0 }]);

    expectError(await gql(server, UPDATE, { input: ACME }, admin), 'BAD_USER_INPUT', /organizationId/, 'organizationId');
    expectError(await gql(server, UPDATE, { input: ACME, org: '00000000-0000-4000-8000-000000000000' }, admin), 'NOT_FOUND');
    const set = await gqlOk(server, UPDATE, { input: ACME, org: owner.organizationId }, admin);
    expect(set.updateBillingDetails.legalName).toBe('Acme Corporation Ltd');
    expect((await gqlOk(server, READ, { org: owner.organizationId }, admin)).billingDetails.legalName).toBe('Acme Corporation Ltd');
    // Another organization's owner sees only its own (none yet).
    expect((await gqlOk(server, '{ organization { billingDetails { legalName } } }', {}, other.token)).organization.billingDetails).toBeNull();
  });

  it.each([
    ['an empty legal name', { ...ACME, legalName: '  ' }, 'input.legalName', /legalName is required/],
    ['a legal name of 201 characters', { ...ACME, legalName: 'x'.repeat(201) }, 'input.legalName', /at most 200/],
    ['markup in the legal name', { ...ACME, legalName: '<b>Acme</b>' }, 'input.legalName', /< >/],
    ['an empty address', { ...ACME, address: '\n \n' }, 'input.address', /address is required/],
    ['an address of 9 lines', { ...ACME, address: Array.from({ length: 9 }, (_, i) => `Line ${i}`).join('\n') }, 'input.address', /at most 8 lines/],
    ['an address of 501 characters', { ...ACME, address: 'y'.repeat(501) }, 'input.address', /at most 500/],
    ['a tab in the address', { ...ACME, address: 'Main St\t1' }, 'input.address', /control characters/],
    ['a tax id with symbols', { ...ACME, taxId: 'GB#123' }, 'input.taxId', /taxId must be/],
    ['a tax id of 51 characters', { ...ACME, taxId: 'A'.repeat(51) }, 'input.taxId', /taxId must be/],
    ['an email without a domain', { ...ACME, email: 'accounts@' }, 'input.email', /email must be an email address/],
  ])('refuses %s, naming the field, and writes nothing', async (_what, input, field, message) => {
    const owner = await verifiedClient(server);
    expectError(await gql(server, UPDATE, { input }, owner.token), 'BAD_USER_INPUT', message, field);
    expect(await sql(server, 'SELECT count(*)::int AS n FROM billing_details WHERE organization_id = ?', [owner.organizationId])).toEqual([{ n: 0 }]);
  });
});
