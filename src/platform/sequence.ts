import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { EntityManager } from '@mikro-orm/postgresql';

/** Named counters for human-readable codes (client, consultant, consultation, invoice numbers). */
@Entity({ tableName: 'code_sequence' })
export class CodeSequence {
  @PrimaryKey({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'integer' })
  value!: number;
}

/**
 * The next value of a named counter, atomically: concurrent callers get distinct values, and
 * inside a transaction a rollback gives the number back (gap-free, as invoices need).
 */
export async function nextSequenceValue(em: EntityManager, name: string): Promise<number> {
  const rows = await em
    .getConnection()
    .execute<{ value: number }[]>(
      'INSERT INTO code_sequence (name, value) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = code_sequence.value + 1 RETURNING value',
      [name],
      'all',
      em.getTransactionContext(),
    );
  return Number(rows[0]!.value);
}

/** "Acme Corporation" → "ACME"; "Jöhn O'Neil" → "JOHN". Letters and digits of the first word, up to 12. */
export function codeSlug(text: string, fallback = 'X'): string {
  const firstWord = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').trim().split(/\s+/)[0] ?? '';
  const slug = firstWord.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 12);
  return slug || fallback;
}

/** YYYYMMDD of an instant, in UTC. */
export function codeDate(at: Date): string {
  return at.toISOString().slice(0, 10).replaceAll('-', '');
}
