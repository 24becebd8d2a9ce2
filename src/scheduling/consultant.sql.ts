import { raw } from '@mikro-orm/core';
import { sql, type Sql } from '../platform/sql.js';

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

/**
 * The consultant's counters, moved in SQL so that concurrent completions and feedback of one
 * consultant never lose an update. Exact integer sums; averages are derived (ConsultantProfile.rating).
 */

export function addCompletedSession(consultantId: string, minutes: number): Sql {
  return sql`UPDATE consultant_profile SET completed_sessions = completed_sessions + 1, completed_minutes = completed_minutes + ${minutes} WHERE id = ${consultantId}`;
}

export interface Rating {
  overall: number;
  expertise: number;
  communication: number;
  helpfulness: number;
  wouldRecommend: boolean;
}

export function addRating(consultantId: string, rating: Rating): Sql {
  return sql`UPDATE consultant_profile SET rating_count = rating_count + 1, rating_overall_sum = rating_overall_sum + ${rating.overall}, rating_expertise_sum = rating_expertise_sum + ${rating.expertise},
         rating_communication_sum = rating_communication_sum + ${rating.communication}, rating_helpfulness_sum = rating_helpfulness_sum + ${rating.helpfulness},
         recommend_count = recommend_count + ${rating.wouldRecommend ? 1 : 0}
   WHERE id = ${consultantId}`;
}
