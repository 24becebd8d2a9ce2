/** Stripe's error shapes, ids and parameter parsing, shared by the simulator's endpoints. */
import { randomBytes } from 'node:crypto';

export type Obj = Record<string, any>;

export class ApiError extends Error {
  readonly status: number;
  readonly body: { error: Obj };
  constructor(status: number, error: Obj) {
    super(String(error.message));
    this.status = status;
    this.body = { error };
  }
}

export const invalid = (message: string, extra: Obj = {}) => new ApiError(400, { type: 'invalid_request_error', message, ...extra });
export const missingParam = (param: string) => invalid(`Missing required param: ${param}.`, { code: 'parameter_missing', param });
export const noSuch = (kind: string, id: string, param = 'id') =>
  new ApiError(404, {
    type: 'invalid_request_error',
    code: 'resource_missing',
    param,
    message: `No such ${kind}: '${id}'`,
    doc_url: 'https://stripe.com/docs/error-codes/resource-missing',
  });
export const unexpectedState = (message: string) => invalid(message, { code: 'payment_intent_unexpected_state' });

const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const token = (length: number) => [...randomBytes(length)].map((byte) => ALPHANUMERIC[byte % 62]).join('');
export const newId = (prefix: string) => `${prefix}_${token(24)}`;
export const now = () => Math.floor(Date.now() / 1000);
export const clone = <T>(value: T): T => structuredClone(value);
export const list = (url: string, data: Obj[]) => ({ object: 'list', data, has_more: false, total_count: data.length, url });

/** Parses Stripe's form encoding (`metadata[a]=1&items[0][price]=p&expand[]=x`) into objects and arrays. */
export function parseStripeForm(text: string): Obj {
  const root: Obj = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const path = key.replace(/\]/g, '').split('[');
    let node = root;
    path.forEach((segment, i) => {
      const name = segment === '' ? String(Object.keys(node).length) : segment;
      if (i === path.length - 1) node[name] = value;
      else node = typeof node[name] === 'object' ? node[name] : (node[name] = {});
    });
  }
  const arrays = (value: unknown, key: string): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    const entries = Object.entries(value).map(([k, v]) => [k, arrays(v, k)] as const);
    const indexed = key !== 'metadata' && entries.length > 0 && entries.every(([k]) => /^\d+$/.test(k));
    return indexed ? entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, v]) => v) : Object.fromEntries(entries);
  };
  return arrays(root, '') as Obj;
}

export const text = (value: unknown): string | null =>
  value === undefined || value === null || value === '' ? null : typeof value === 'string' ? value : JSON.stringify(value);
export const flag = (value: unknown) => value === true || value === 'true';
export function integer(params: Obj, name: string, required = false): number | null {
  const raw = params[name];
  if (raw === undefined || raw === '') {
    if (required) throw missingParam(name);
    return null;
  }
  const value = Number(raw);
  if (!Number.isInteger(value)) throw invalid(`Invalid integer: ${raw}`, { param: name });
  return value;
}
/** Stripe's metadata updates: keys merge, '' unsets a key, metadata='' unsets them all. */
export function metadata(patch: unknown, base: Obj = {}): Obj {
  if (patch === '') return {};
  const out = { ...base };
  for (const [key, value] of Object.entries((patch ?? {}) as Obj)) {
    if (value === '') delete out[key];
    else out[key] = String(value);
  }
  return out;
}
export function addInterval(from: number, interval: string, count: number): number {
  const date = new Date(from * 1000);
  if (interval === 'day') date.setUTCDate(date.getUTCDate() + count);
  else if (interval === 'week') date.setUTCDate(date.getUTCDate() + 7 * count);
  else if (interval === 'month') date.setUTCMonth(date.getUTCMonth() + count);
  else date.setUTCFullYear(date.getUTCFullYear() + count);
  return Math.floor(date.getTime() / 1000);
}
