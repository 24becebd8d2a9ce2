/**
 * One list of the statuses that hold a consultant's time (I1): the exclusion constraint of the
 * migrated database, scheduling's TIME_HOLDING_STATUSES (busy time, the SQL) and consultations'
 * HOLDING_STATUSES name the same ones.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOLDING_STATUSES } from '../../src/consultations/consultation.enums.js';
import type { MikroORM } from '../../src/platform/db.js';
import { TIME_HOLDING_STATUSES } from '../../src/scheduling/availability.sql.js';
import { startServiceHarness, type ServiceHarness } from '../support/service-harness.js';

describe('the statuses that hold time', () => {
  let harness: ServiceHarness;
  let orm: MikroORM;
  beforeAll(async () => {
    harness = await startServiceHarness();
    ({ orm } = harness);
  });
  afterAll(() => harness.stop());

  it('are the exclusion constraint’s, in the code and in the database alike', async () => {
    const [row] = await orm.em.getConnection().execute<Array<{ def: string }>>("SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'consultation_no_overlap'");
    const where = row!.def.slice(row!.def.indexOf('WHERE'));
    const constrained = [...where.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1]);
    expect(constrained.length).toBeGreaterThan(0);
    expect([...constrained].sort()).toEqual([...TIME_HOLDING_STATUSES].sort());
    expect(HOLDING_STATUSES).toEqual(TIME_HOLDING_STATUSES);
  });
});
