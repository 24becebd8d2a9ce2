import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Hand-written SQL as fragments that carry their own parameters: `sql\`… ${value} …\`` turns each
 * value into a placeholder and keeps the value beside it, and a value that is itself a fragment
 * is spliced in with its parameters, in place. Statements are composed from a domain's
 * fragments (its `*.sql.ts`) without any caller counting positional parameters across files.
 */
export class Sql {
  constructor(
    readonly text: string,
    readonly params: readonly unknown[],
  ) {}
}

export function sql(strings: TemplateStringsArray, ...values: unknown[]): Sql {
  let text = strings[0]!;
  const params: unknown[] = [];
  values.forEach((value, i) => {
    if (value instanceof Sql) {
      text += value.text;
      params.push(...value.params);
    } else {
      text += '?';
      params.push(value);
    }
    text += strings[i + 1]!;
  });
  return new Sql(text, params);
}

/** Fragments one after the other, separated by `separator` (written as is). */
sql.join = (parts: readonly Sql[], separator = ', '): Sql =>
  new Sql(
    parts.map((part) => part.text).join(separator),
    parts.flatMap((part) => part.params),
  );

/**
 * Text written as is, with no parameters: only for constants of the code (a column list, an
 * operator), never for a value that came from a request.
 */
sql.raw = (text: string): Sql => new Sql(text, []);

/** Nothing: the branch of a conditional fragment that adds no text. */
sql.empty = new Sql('', []);

/** Runs a statement in `em`'s transaction (if any) and returns its rows. */
export async function query<Row>(em: EntityManager, statement: Sql): Promise<Row[]> {
  return em.getConnection().execute<Row[]>(statement.text, [...statement.params], 'all', em.getTransactionContext());
}

/** Runs a statement in `em`'s transaction (if any) for its effect; returns the rows it affected. */
export async function execute(em: EntityManager, statement: Sql): Promise<number> {
  const result = await em.getConnection().execute<{ affectedRows?: number }>(statement.text, [...statement.params], 'run', em.getTransactionContext());
  return result.affectedRows ?? 0;
}
