import { raw } from '@mikro-orm/core';

/**
 * The consultant search's conditions on consultant_profile, as where-clause keys of the ORM's
 * finds (`{ ...hasSkill(name) }`), so the page and its count are read by one keyset query each.
 * The alias is the one the ORM gives consultant_profile in that query.
 */

/** A skill of this name, case-insensitively. */
export function hasSkill(name: string): object {
  return { [raw((alias) => `exists (select 1 from jsonb_array_elements(${alias}.skills) s where lower(s->>'name') = lower(?))`, [name])]: [] };
}

/** This language, case-insensitively. */
export function speaks(language: string): object {
  return { [raw((alias) => `exists (select 1 from unnest(${alias}.languages) l where lower(l) = lower(?))`, [language])]: [] };
}
