/**
 * The invariant checks (I1–I12, each domain's own in its manifest) over a database a real server
 * filled: a purchase, bookings (credits and the free trial), a cancellation, a reschedule, a
 * completed session, their messages. It passes every check; then each corruption below, made with SQL inside a transaction that is
 * rolled back (constraints dropped and triggers disabled there only), is caught by the checks of
 * its invariant while every other check stays at 0. Last, `npm run check:invariants` as an
 * operator runs it: exit 0 on this database, 1 once a violation is committed, 2 when the
 * database cannot be reached.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVARIANTS } from '../../src/modules.js';
import { runInvariants, type InvariantResult } from '../../src/platform/invariants.js';
import { execute, sql } from '../../src/platform/sql.js';
import { BOOK, gridStart, openAllHoursConsultant, verifiedClient, type TestClient, type TestConsultant } from '../support/booking.js';
import { gqlOk } from '../support/graphql.js';
import { sql as rows } from '../support/identity.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let client: TestClient;
let other: TestClient;
let consultant: TestConsultant;
let purchasedLotId: string;
let trialLotId: string;
const booked: string[] = [];
let cancelledId: string;

const PURCHASE = 'mutation($input: PurchasePackageInput!) { purchasePackage(input: $input) { id status creditLot { id } } }';

beforeAll(async () => {
  server = await startTestServer({ PAYMENTS_MODE: 'local' });
  client = await verifiedClient(server, { organizationName: 'Checked Corp' });
  other = await verifiedClient(server, { organizationName: 'Other Corp' });
  consultant = await openAllHoursConsultant(server, { bufferMinutes: 15, maxSessionsPerDay: 5 });
  const bought = await gqlOk<{ purchasePackage: { id: string } }>(server, PURCHASE, { input: { packageId: 'PKG-DISCOVERY-ASSESSMENT', paymentMethodId: 'pm_card_visa' } }, client.token);
  purchasedLotId = await settledLot(bought.purchasePackage.id);
  // Sessions the same local day (the consultant's zone is about noon now), one on the free trial.
  for (const [minutesAhead, durationMinutes, useFreeTrial] of [[120, 90, false], [240, 15, true], [360, 90, false]] as const) {
    booked.push(await bookOne(minutesAhead, durationMinutes, useFreeTrial));
  }
  cancelledId = booked[2]!;
  await gqlOk(server, 'mutation($id: ID!) { cancelConsultation(id: $id, reason: "Not needed") { consultation { status } } }', { id: cancelledId }, client.token);
  // One moved later the same day, one run through its whole life now.
  const moved = await bookOne(480, 60);
  await gqlOk(server, 'mutation($id: ID!, $start: DateTime!) { rescheduleConsultation(id: $id, start: $start, reason: "Later") { status } }', { id: moved, start: gridStart(540).toISOString() }, client.token);
  const done = await bookOne(2, 30);
  for (const step of ['confirmConsultation(id: $id) { status }', 'startConsultation(id: $id) { status }', 'completeConsultation(id: $id, input: {}) { status }']) {
    await gqlOk(server, `mutation($id: ID!) { ${step} }`, { id: done }, consultant.token);
  }
  const [trial] = await rows<{ id: string }>(server, "SELECT id FROM credit_lot WHERE organization_id = ? AND source = 'FREE_TRIAL'", [client.organizationId]);
  trialLotId = trial!.id;
}, 120_000);
afterAll(() => server?.stop());

async function bookOne(minutesAhead: number, durationMinutes: number, useFreeTrial = false): Promise<string> {
  const { bookConsultation } = await gqlOk<{ bookConsultation: { id: string } }>(
    server, BOOK, { input: { consultantId: consultant.id, start: gridStart(minutesAhead).toISOString(), durationMinutes, purpose: 'Invariant check', useFreeTrial } }, client.token,
  );
  return bookConsultation.id;
}

async function settledLot(purchaseId: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const [row] = await rows<{ status: string; credit_lot_id: string | null }>(server, 'SELECT status, credit_lot_id FROM purchase WHERE id = ?', [purchaseId]);
    if (row?.status === 'SUCCEEDED' && row.credit_lot_id) return row.credit_lot_id;
    if (Date.now() > deadline) throw new Error(`purchase not settled: ${JSON.stringify(row)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

class RolledBack extends Error {}

/** The checks' results over the database after `corruption`, all in one transaction that is then rolled back. */
async function checkedAfter(...corruption: string[]): Promise<InvariantResult[]> {
  let results: InvariantResult[] = [];
  await server.app.orm.em
    .fork()
    .transactional(async (em) => {
      for (const statement of corruption) await execute(em, sql.raw(statement));
      results = await runInvariants(em, INVARIANTS);
      throw new RolledBack();
    })
    .catch((error: unknown) => {
      if (!(error instanceof RolledBack)) throw error;
    });
  return results;
}

/** Every check of `id` counts at least one violation between them, every other check none. */
function expectCaughtBy(results: InvariantResult[], id: string): InvariantResult[] {
  const own = results.filter((r) => r.id === id);
  expect(own.length, `checks of ${id}`).toBeGreaterThan(0);
  expect(own.reduce((sum, r) => sum + r.violations, 0), `violations of ${id}`).toBeGreaterThanOrEqual(1);
  expect(results.filter((r) => r.id !== id && r.violations > 0).map((r) => `${r.id} ${r.statement}: ${r.examples.join(', ')}`)).toEqual([]);
  return own.filter((r) => r.violations > 0);
}

const examplesOf = (found: InvariantResult[]) => found.flatMap((r) => r.examples).join(' ');

describe('the invariant checks', () => {
  it('declare I1–I12, each with a statement, and all pass on a database the app filled', async () => {
    expect(INVARIANTS.every((check) => check.title.length > 0 && check.statement.length > check.title.length)).toBe(true);
    const ids = new Set(INVARIANTS.map((check) => check.id));
    expect([...ids].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)))).toEqual(['I1', 'I2', 'I3', 'I4', 'I5', 'I6', 'I7', 'I8', 'I9', 'I10', 'I11', 'I12']);
    const [seeded] = await rows<{ lots: string; entries: string; consultations: string; deliveries: string; invoices: string }>(
      server,
      'SELECT (SELECT count(*) FROM credit_lot) AS lots, (SELECT count(*) FROM credit_ledger_entry) AS entries, (SELECT count(*) FROM consultation) AS consultations, (SELECT count(*) FROM notification_delivery) AS deliveries, (SELECT count(*) FROM invoice) AS invoices',
    );
    // Something to check: the seeded rows are there.
    expect(Number(seeded!.lots)).toBeGreaterThanOrEqual(3);
    expect(Number(seeded!.entries)).toBeGreaterThanOrEqual(8);
    expect(Number(seeded!.consultations)).toBe(5);
    expect(Number(seeded!.deliveries)).toBeGreaterThan(0);
    expect(Number(seeded!.invoices)).toBe(1);
    const results = await checkedAfter();
    expect(results.length).toBe(INVARIANTS.length);
    expect(results.filter((r) => r.violations > 0)).toEqual([]);
  });

  it('I1: an overlapping holding consultation, with the exclusion constraint dropped; the missing constraint alone counts too', async () => {
    const dropped = expectCaughtBy(await checkedAfter('ALTER TABLE consultation DROP CONSTRAINT consultation_no_overlap'), 'I1');
    expect(examplesOf(dropped)).toContain('consultation_no_overlap');
    // A copy of a scheduled session 30 minutes later, paid by a fee (so it holds no credits).
    const overlap = expectCaughtBy(
      await checkedAfter(
        'ALTER TABLE consultation DROP CONSTRAINT consultation_no_overlap',
        `INSERT INTO consultation (id, code, organization_id, client_id, booked_by_id, consultant_id, status, start_at, end_at, duration_minutes, buffer_minutes, held_until, purpose, payment_method, credit_state, created_at, updated_at)
           SELECT gen_random_uuid(), code || '-X', organization_id, client_id, booked_by_id, consultant_id, status, start_at + interval '30 minutes', end_at + interval '30 minutes', duration_minutes, buffer_minutes, held_until + interval '30 minutes', purpose, 'BOOKING_FEE', 'RELEASED', created_at, updated_at
             FROM consultation WHERE id = '${booked[0]}'`,
      ),
      'I1',
    );
    // The missing constraint and at least the pair with the session copied (the copy may reach the next one too).
    expect(overlap.reduce((sum, r) => sum + r.violations, 0)).toBeGreaterThanOrEqual(2);
    expect(examplesOf(overlap)).toMatch(new RegExp(`${booked[0]} overlaps|overlaps ${booked[0]}`));
  });

  it("I2: more holding sessions on one local day than the consultant's limit", async () => {
    const found = expectCaughtBy(await checkedAfter('UPDATE availability_schedule SET max_sessions_per_day = 1'), 'I2');
    expect(examplesOf(found)).toContain(consultant.id);
  });

  it('I3: a timestamp column without a time zone', async () => {
    const found = expectCaughtBy(await checkedAfter('ALTER TABLE rate_limit ADD COLUMN checked_at timestamp'), 'I3');
    expect(examplesOf(found)).toContain('rate_limit.checked_at');
  });

  it("I4: a lot's counters that disagree with its ledger", async () => {
    const found = expectCaughtBy(await checkedAfter(`UPDATE credit_lot SET granted = granted + 1, consumed = consumed + 1 WHERE id = '${purchasedLotId}'`), 'I4');
    expect(examplesOf(found)).toContain(purchasedLotId);
  });

  it('I5: a cancelled consultation that still holds a reservation (its lot counted consistently)', async () => {
    const found = expectCaughtBy(
      await checkedAfter(
        // An adjustment of +1 makes the unit it reserves, whatever the lot has left.
        `INSERT INTO credit_ledger_entry (organization_id, lot_id, type, units, consultation_id, created_at) VALUES
           ('${client.organizationId}', '${purchasedLotId}', 'ADJUST', 1, NULL, now()), ('${client.organizationId}', '${purchasedLotId}', 'RESERVE', 1, '${cancelledId}', now())`,
        `UPDATE credit_lot SET adjusted = adjusted + 1, reserved = reserved + 1 WHERE id = '${purchasedLotId}'`,
      ),
      'I5',
    );
    expect(examplesOf(found)).toContain(cancelledId);
  });

  it('I6: a held reservation from a lot that expires before the session ends', async () => {
    const found = expectCaughtBy(await checkedAfter(`UPDATE credit_lot SET expires_at = now() + interval '1 minute' WHERE id = '${purchasedLotId}'`), 'I6');
    expect(examplesOf(found)).toContain(booked[0]);
  });

  it('I7: a second free-trial lot, with the unique index dropped', async () => {
    const found = expectCaughtBy(
      await checkedAfter(
        'DROP INDEX credit_lot_one_free_trial',
        `WITH lot AS (
           INSERT INTO credit_lot (id, organization_id, kind, source, priority, session_minutes, allowed_block_minutes, granted, available, expires_at, granted_at, created_at)
             SELECT gen_random_uuid(), organization_id, kind, source, priority, session_minutes, allowed_block_minutes, 1, 1, expires_at, now(), now() FROM credit_lot WHERE id = '${trialLotId}'
             RETURNING id, organization_id)
         INSERT INTO credit_ledger_entry (organization_id, lot_id, type, units, created_at) SELECT organization_id, id, 'GRANT', 1, now() FROM lot`,
      ),
      'I7',
    );
    expect(examplesOf(found)).toContain('credit_lot_one_free_trial');
    expect(examplesOf(found)).toContain(client.organizationId);
  });

  it("I8: the ledger's append-only trigger disabled", async () => {
    const found = expectCaughtBy(await checkedAfter('ALTER TABLE credit_ledger_entry DISABLE TRIGGER credit_ledger_entry_append_only'), 'I8');
    expect(examplesOf(found)).toContain('credit_ledger_entry_append_only');
  });

  it('I9: a succeeded payment granted twice (a second GRANT on its lot, the lot counted consistently)', async () => {
    const found = expectCaughtBy(
      await checkedAfter(
        `INSERT INTO credit_ledger_entry (organization_id, lot_id, type, units, created_at) VALUES ('${client.organizationId}', '${purchasedLotId}', 'GRANT', 4, now())`,
        `UPDATE credit_lot SET granted = granted + 4, available = available + 4 WHERE id = '${purchasedLotId}'`,
      ),
      'I9',
    );
    expect(examplesOf(found)).toContain(purchasedLotId);
  });

  it('I10: a gap in the year’s invoice numbers', async () => {
    const found = expectCaughtBy(
      await checkedAfter('ALTER TABLE invoice DISABLE TRIGGER invoice_issued_unchanged', "UPDATE invoice SET number = regexp_replace(number, '\\d{6}$', '000002')"),
      'I10',
    );
    expect(examplesOf(found)).toMatch(/INV-\d{4}/);
  });

  it('I11: a duplicate delivery with the unique constraint dropped, and a SENT one without sent_at', async () => {
    const duplicate = expectCaughtBy(
      await checkedAfter(
        'ALTER TABLE notification_delivery DROP CONSTRAINT notification_delivery_once',
        `INSERT INTO notification_delivery SELECT (jsonb_populate_record(NULL::notification_delivery, to_jsonb(d) || jsonb_build_object('id', gen_random_uuid()))).* FROM (SELECT * FROM notification_delivery ORDER BY created_at LIMIT 1) d`,
      ),
      'I11',
    );
    expect(examplesOf(duplicate)).toContain('notification_delivery_once');
    expectCaughtBy(await checkedAfter("UPDATE notification_delivery SET status = 'SENT', sent_at = NULL WHERE id = (SELECT id FROM notification_delivery ORDER BY created_at LIMIT 1)"), 'I11');
  });

  it("I12: a consultation's history entry that names another organization", async () => {
    const found = expectCaughtBy(await checkedAfter(`UPDATE consultation_status_change SET organization_id = '${other.organizationId}' WHERE consultation_id = '${booked[0]}'`), 'I12');
    expect(examplesOf(found)).toContain(booked[0]);
  });
});

describe('npm run check:invariants', () => {
  function checkInvariants(args: string[], env: Record<string, string>) {
    return new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const child = spawn('npm', ['run', '--silent', 'check:invariants', '--', ...args], {
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', JWT_SECRET: 'x'.repeat(40), ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      child.on('exit', (code) => resolve({ code, out, err }));
    });
  }

  it('prints every check with its count and exits 0; --json says the same for machines', async () => {
    const databaseUrl = server.config.databaseUrl!;
    const table = await checkInvariants([], { DATABASE_URL: databaseUrl });
    expect(table.err).toBe('');
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/^I4 +.*lot.* +0 violations$/m);
    expect(table.out.match(/ 0 violations$/gm)?.length).toBe(INVARIANTS.length);

    const json = await checkInvariants(['--json'], { DATABASE_URL: databaseUrl });
    expect(json.code).toBe(0);
    const report = JSON.parse(json.out) as { ok: boolean; checks: Array<{ id: string; violations: number }> };
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.id)).toEqual(INVARIANTS.map((c) => c.id));
    expect(report.checks.every((c) => c.violations === 0)).toBe(true);
    // Two child processes, each compiling the app on start: slow on a loaded machine.
  }, 120_000);

  it('exits 1 naming the violation and an example once one is committed', async () => {
    // The free-trial lot granted one more than its ledger says.
    await rows(server, 'UPDATE credit_lot SET granted = granted + 1, available = available + 1 WHERE id = ?', [trialLotId]);
    try {
      const { code, out } = await checkInvariants([], { DATABASE_URL: server.config.databaseUrl! });
      expect(code).toBe(1);
      expect(out).toMatch(new RegExp(`^I4 +.* 1 violation\\b.*\\n.*${trialLotId}`, 'm'));
    } finally {
      await rows(server, 'UPDATE credit_lot SET granted = granted - 1, available = available - 1 WHERE id = ?', [trialLotId]);
    }
  }, 60_000);

  it('exits 2 with a message a person can act on when the database cannot be reached', async () => {
    const { code, err } = await checkInvariants([], { DATABASE_URL: 'postgres://nobody:secret@127.0.0.1:1/serenity' });
    expect(code).toBe(2);
    expect(err).toMatch(/Cannot use the database named by DATABASE_URL .*connection refused/);
    expect(err).not.toContain('secret');
  }, 60_000);
});
