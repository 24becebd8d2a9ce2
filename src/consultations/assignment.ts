/**
 * Auto-assignment (pure): which free consultant gets a booking that names none. The caller
 * passes only consultants who are free at the requested time and have every requested skill;
 * this ranks them. Scores are in [0, 1]:
 * - skillMatch: mean proficiency over the requested skills (EXPERT 1, INTERMEDIATE 2/3,
 *   BEGINNER 1/3); 1 when no skill was asked for;
 * - familiarity: earlier sessions with this client, saturating at 3;
 * - rating: the overall average pulled towards 3.5 by two virtual ratings (a newcomer is
 *   neither best nor worst), mapped from 1–5 onto 0–1;
 * - availability: least loaded first — 1 − load / the busiest candidate's load, where load is
 *   the sessions holding time in the days around the booking.
 * Weighted 0.35 / 0.2 / 0.2 / 0.25. Ties go to the lower load, then the lower consultant code,
 * so the result never depends on the order of the input.
 */
import type { SkillProficiency } from '../identity/profile.entity.js';

export interface AssignmentCandidate {
  consultantId: string;
  /** Unique, stable: the last tie-break. */
  code: string;
  skills: ReadonlyArray<{ name: string; proficiency: SkillProficiency }>;
  ratingCount: number;
  ratingOverallSum: number;
  /** Earlier consultations (not cancelled) with this client. */
  previousSessions: number;
  /** Sessions holding the consultant's time around the booking. */
  load: number;
}

export interface RankedCandidate {
  consultantId: string;
  score: number;
  skillMatch: number;
  familiarity: number;
  rating: number;
  availability: number;
  reason: string;
}

export const ASSIGNMENT_WEIGHTS = { skillMatch: 0.35, familiarity: 0.2, rating: 0.2, availability: 0.25 } as const;

const PROFICIENCY_WEIGHT: Record<SkillProficiency, number> = { BEGINNER: 1 / 3, INTERMEDIATE: 2 / 3, EXPERT: 1 };
const PRIOR_RATING = 3.5;
const PRIOR_WEIGHT = 2;
const FAMILIARITY_SATURATION = 3;

/** The candidates, best first, each with its score and a sentence saying why. */
export function rankCandidates(candidates: readonly AssignmentCandidate[], requestedSkills: readonly string[]): RankedCandidate[] {
  const maxLoad = Math.max(0, ...candidates.map((c) => c.load));
  const requested = requestedSkills.map((s) => s.toLowerCase());
  const scored = candidates.map((c) => {
    const byName = new Map(c.skills.map((s) => [s.name.toLowerCase(), s.proficiency]));
    const skillMatch = requested.length === 0 ? 1 : requested.reduce((sum, name) => sum + (byName.has(name) ? PROFICIENCY_WEIGHT[byName.get(name)!] : 0), 0) / requested.length;
    const familiarity = Math.min(c.previousSessions, FAMILIARITY_SATURATION) / FAMILIARITY_SATURATION;
    const mean = (c.ratingOverallSum + PRIOR_RATING * PRIOR_WEIGHT) / (c.ratingCount + PRIOR_WEIGHT);
    const rating = (mean - 1) / 4;
    const availability = maxLoad === 0 ? 1 : 1 - c.load / maxLoad;
    const w = ASSIGNMENT_WEIGHTS;
    // Rounded so float noise cannot break a tie differently on different inputs.
    const score = Math.round((w.skillMatch * skillMatch + w.familiarity * familiarity + w.rating * rating + w.availability * availability) * 1e6) / 1e6;
    return { c, score, skillMatch, familiarity, rating, availability };
  });
  scored.sort((a, b) => b.score - a.score || a.c.load - b.c.load || (a.c.code < b.c.code ? -1 : a.c.code > b.c.code ? 1 : 0));
  return scored.map(({ c, score, skillMatch, familiarity, rating, availability }) => ({
    consultantId: c.consultantId,
    score,
    skillMatch: round2(skillMatch),
    familiarity: round2(familiarity),
    rating: round2(rating),
    availability: round2(availability),
    reason:
      `Best of ${candidates.length} free consultant${candidates.length === 1 ? '' : 's'} (score ${score.toFixed(2)}): ` +
      `skill match ${skillMatch.toFixed(2)}, ${c.previousSessions} earlier session${c.previousSessions === 1 ? '' : 's'} with this client, ` +
      (c.ratingCount === 0 ? 'not rated yet, ' : `rated ${(c.ratingOverallSum / c.ratingCount).toFixed(2)} by ${c.ratingCount}, `) +
      `${c.load} session${c.load === 1 ? '' : 's'} booked around that day.`,
  }));
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
