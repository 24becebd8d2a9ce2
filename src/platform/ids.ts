import { errors } from './errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** An id argument that must name a row: anything but a UUID cannot, so it is NOT_FOUND. */
export function requireUuid(id: string, what: string): string {
  if (!isUuid(id)) throw errors.notFound(what, id.slice(0, 100));
  return id.toLowerCase();
}
