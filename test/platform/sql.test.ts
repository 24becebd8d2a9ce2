import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MikroORM } from '../../src/platform/db.js';
import { execute, query, sql, Sql } from '../../src/platform/sql.js';
import { startServiceHarness, type ServiceHarness } from '../support/service-harness.js';

describe('sql fragments', () => {
  it('turns values into placeholders and keeps them beside the text, in order', () => {
    const q = sql`SELECT * FROM t WHERE a = ${1} AND b = ${'x'}`;
    expect(q.text).toBe('SELECT * FROM t WHERE a = ? AND b = ?');
    expect(q.params).toEqual([1, 'x']);
  });

  it('splices a fragment in place with its own parameters', () => {
    const inner = sql`(SELECT count(*) FROM lot WHERE org = ${'o1'} AND n > ${2})`;
    const q = sql`SELECT ${'first'}, ${inner} AS n, ${'last'}`;
    expect(q.text).toBe('SELECT ?, (SELECT count(*) FROM lot WHERE org = ? AND n > ?) AS n, ?');
    expect(q.params).toEqual(['first', 'o1', 2, 'last']);
  });

  it('joins fragments, raw text has no parameters, empty adds nothing', () => {
    const q = sql`VALUES ${sql.join([sql`(${1}, ${2})`, sql`(${3}, ${4})`])}${sql.empty} ${sql.raw('ORDER BY 1')}`;
    expect(q.text).toBe('VALUES (?, ?), (?, ?) ORDER BY 1');
    expect(q.params).toEqual([1, 2, 3, 4]);
  });

  it('has exactly one parameter per placeholder however fragments nest (property)', () => {
    const leaf = fc.array(fc.oneof(fc.integer(), fc.string().filter((s) => !s.includes('?'))), { maxLength: 4 }).map((values) => sql.join(values.map((v) => sql`${v}`)));
    const tree = fc.letrec<{ node: Sql }>((tie) => ({
      node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.array(tie('node'), { maxLength: 3 }).map((parts) => sql`(${sql.join(parts, ' AND ')})`)),
    })).node;
    fc.assert(
      fc.property(tree, (q) => {
        expect(q.text.split('?').length - 1).toBe(q.params.length);
      }),
    );
  });
});

describe('sql against PostgreSQL', () => {
  let harness: ServiceHarness;
  let orm: MikroORM;
  beforeAll(async () => {
    harness = await startServiceHarness();
    ({ orm } = harness);
  });
  afterAll(() => harness.stop());

  it('binds the spliced parameters where their fragments stand', async () => {
    const pick = sql`(SELECT ${'b'}::text)`;
    const rows = await query<{ a: string; b: string; c: number }>(orm.em.fork(), sql`SELECT ${'a'}::text AS a, ${pick} AS b, ${3}::int AS c`);
    expect(rows).toEqual([{ a: 'a', b: 'b', c: 3 }]);
  });

  it('runs a write in the transaction and reports the rows it touched', async () => {
    const em = orm.em.fork();
    const touched = await em.transactional(async (tx) => {
      await execute(tx, sql`CREATE TEMP TABLE sql_probe (n int) ON COMMIT DROP`);
      await execute(tx, sql`INSERT INTO sql_probe VALUES (${1}), (${2}), (${3})`);
      return execute(tx, sql`UPDATE sql_probe SET n = n + ${10} WHERE n >= ${2}`);
    });
    expect(touched).toBe(2);
  });
});
