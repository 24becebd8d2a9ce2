import { Migration } from '@mikro-orm/migrations';

/**
 * A CHECK of an enum column, with `value` added to the values it allows now. Read from the
 * constraint rather than written out, so migrations of other new kinds landing in either order
 * (each adding its own) keep every kind.
 */
function allow(table: string, column: string, value: string): string {
  const name = `${table}_${column}_check`;
  return `DO $$
DECLARE allowed text[];
BEGIN
  SELECT array_agg(m.v[1] ORDER BY m.n) INTO allowed
    FROM pg_constraint c, regexp_matches(pg_get_constraintdef(c.oid), '''([A-Z0-9_]+)''', 'g') WITH ORDINALITY m(v, n)
   WHERE c.conname = '${name}' AND c.conrelid = '"${table}"'::regclass;
  IF NOT '${value}' = ANY(coalesce(allowed, '{}')) THEN allowed := coalesce(allowed, '{}') || '${value}'::text; END IF;
  EXECUTE format('ALTER TABLE %I DROP CONSTRAINT IF EXISTS %I', '${table}', '${name}');
  EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (%I IN (%s))', '${table}', '${name}', '${column}', (SELECT string_agg(quote_literal(a), ', ') FROM unnest(allowed) a));
END $$;`;
}

/** The constraint without `value` (down): the others it allows stay. */
function disallow(table: string, column: string, value: string): string {
  const name = `${table}_${column}_check`;
  return `DO $$
DECLARE allowed text[];
BEGIN
  SELECT array_agg(m.v[1] ORDER BY m.n) INTO allowed
    FROM pg_constraint c, regexp_matches(pg_get_constraintdef(c.oid), '''([A-Z0-9_]+)''', 'g') WITH ORDINALITY m(v, n)
   WHERE c.conname = '${name}' AND c.conrelid = '"${table}"'::regclass AND m.v[1] <> '${value}';
  EXECUTE format('ALTER TABLE %I DROP CONSTRAINT IF EXISTS %I', '${table}', '${name}');
  EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (%I IN (%s))', '${table}', '${name}', '${column}', (SELECT string_agg(quote_literal(a), ', ') FROM unnest(allowed) a));
END $$;`;
}

export class Migration20261201202957_meeting_failed_message extends Migration {

  override name = 'Migration20261201202957_meeting_failed_message';

  override up(): void | Promise<void> {
    // MEETING_FAILED: the consultant told that their meeting could not be made (subject: the MEETING).
    for (const table of ['notification_delivery', 'notification']) {
      this.addSql(allow(table, 'kind', 'MEETING_FAILED'));
      this.addSql(allow(table, 'subject_type', 'MEETING'));
    }
  }

  override down(): void | Promise<void> {
    this.addSql(`delete from "notification" where "kind" = 'MEETING_FAILED';`);
    this.addSql(`delete from "notification_delivery" where "kind" = 'MEETING_FAILED';`);
    for (const table of ['notification_delivery', 'notification']) {
      this.addSql(disallow(table, 'kind', 'MEETING_FAILED'));
      this.addSql(disallow(table, 'subject_type', 'MEETING'));
    }
  }

}
