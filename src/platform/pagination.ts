import type { ClassType } from 'type-graphql';
import { Field, Int, ObjectType } from 'type-graphql';
import type { CountOptions, EntityName, FindOptions } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { errors } from './errors.js';
import { isUuid } from './ids.js';

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

export interface Edge<T> {
  node: T;
  cursor: string;
}

export interface Connection<T> {
  edges: Array<Edge<T>>;
  pageInfo: PageInfo;
  totalCount: number;
}

/** A Relay-style connection type for `Node` (edges { node cursor }, pageInfo, totalCount). */
export function ConnectionType<T extends object>(name: string, Node: ClassType<T>) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field(() => Node)
    node!: T;

    @Field()
    cursor!: string;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionClass {
    @Field(() => [EdgeType])
    edges!: EdgeType[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int)
    totalCount!: number;
  }
  return ConnectionClass;
}

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/** Validated page size: 1..100, default 20. */
export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) throw errors.badInput(`first must be between 1 and ${MAX_PAGE_SIZE}.`, 'first');
  return first;
}

/** Opaque cursors over a sortable key (ids here). */
export function encodeCursor(key: string): string {
  return Buffer.from(`c:${key}`).toString('base64url');
}

export function decodeCursor(cursor: string | null | undefined): string | null {
  if (!cursor) return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith('c:') || text.length < 3) throw errors.badInput('This cursor is not valid: use pageInfo.endCursor of a previous page.', 'after');
  return text.slice(2);
}

/** Builds a connection from `rows` fetched with one extra row (to know whether there is a next page). */
export function toConnection<T>(rows: T[], size: number, totalCount: number, keyOf: (row: T) => string): Connection<T> {
  const page = rows.slice(0, size);
  const edges = page.map((node) => ({ node, cursor: encodeCursor(keyOf(node)) }));
  return { edges, pageInfo: { hasNextPage: rows.length > size, endCursor: edges.at(-1)?.cursor ?? null }, totalCount };
}

/**
 * One page of `entity` whose serial (bigint) id is its order, highest first: an append-only
 * table such as the credit ledger. Cursors carry the id alone. `where` narrows the rows (and
 * the totalCount).
 */
export async function serialIdPage<T extends { id: string }>(
  em: EntityManager,
  entity: EntityName<T>,
  where: Record<string, unknown>,
  size: number,
  after: string | null | undefined,
  options: { populate?: readonly string[] } = {},
): Promise<Connection<T>> {
  const afterId = decodeCursor(after);
  if (afterId !== null && !/^\d+$/.test(afterId)) throw errors.badInput('This cursor is not valid: use pageInfo.endCursor of a previous page.', 'after');
  const page = { ...where, ...(afterId ? { id: { $lt: afterId } } : {}) };
  // The conditions are built from names the caller passes, so they are typed at this edge only.
  const [rows, totalCount] = await Promise.all([
    em.find(entity, page as never, { ...options, orderBy: { id: 'desc' }, limit: size + 1 } as FindOptions<T>),
    em.count(entity, where as never),
  ]);
  return toConnection(rows, size, totalCount, (row) => row.id);
}

/**
 * One page of `entity` ordered by (`field`, id) — newest first with 'desc' — with cursors that
 * carry both, so rows sharing a timestamp are neither skipped nor repeated. `where` narrows the
 * rows (and the totalCount); `options` are passed to find and count (e.g. filters). With
 * `order.unique` the field alone orders the rows (a unique code, compared as text) and the
 * cursor carries its value only. Either way the page is read with one keyset query (LIMIT
 * size + 1 after the cursor's key) beside one count.
 */
export async function keysetPage<T extends { id: string }>(
  em: EntityManager,
  entity: EntityName<T>,
  where: object,
  order: { field: string & keyof T; direction: 'asc' | 'desc'; unique?: boolean },
  size: number,
  after: string | null | undefined,
  options: { filters?: Record<string, boolean>; populate?: readonly string[] } = {},
): Promise<Connection<T>> {
  const { field, direction, unique = false } = order;
  const conditions: object[] = [where];
  const beyond = direction === 'asc' ? '$gt' : '$lt';
  const cursor = decodeCursor(after);
  if (cursor !== null && unique) {
    // Text PostgreSQL cannot take (a NUL) is no key of any row: refused here, not by the database.
    if (cursor.includes('\u0000')) throw errors.badInput('This cursor is not valid: use pageInfo.endCursor of a previous page.', 'after');
    conditions.push({ [field]: { [beyond]: cursor } });
  } else if (cursor !== null) {
    const [at, id] = cursor.split('|');
    const value = new Date(at ?? '');
    // Checked here, not by PostgreSQL: the keyed entities have UUID ids and dates of years 1–9999.
    const year = value.getUTCFullYear();
    if (Number.isNaN(value.getTime()) || year < 1 || year > 9999 || !id || !isUuid(id)) throw errors.badInput('This cursor is not valid: use pageInfo.endCursor of a previous page.', 'after');
    conditions.push({ $or: [{ [field]: { [beyond]: value } }, { [field]: value, id: { [beyond]: id } }] });
  }
  // The conditions are built from names the caller passes, so they are typed at this edge only.
  const totalCount = await em.count(entity, where, options as CountOptions<T>);
  const orderBy = unique ? { [field]: direction } : { [field]: direction, id: direction };
  const rows = await em.find(entity, { $and: conditions } as never, { ...options, orderBy, limit: size + 1 } as FindOptions<T>);
  const keyOf = unique ? (node: T) => String(node[field]) : (node: T) => `${(node[field] as Date).toISOString()}|${node.id}`;
  return toConnection(rows, size, totalCount, keyOf);
}
