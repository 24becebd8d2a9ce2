/** Skills on a consultant's profile (pure). Scheduling's search and consultations' booking both match on them. */

/** Whether a consultant has every requested skill (names compared case-insensitively). */
export function hasSkills(skills: ReadonlyArray<{ name: string }>, requested: readonly string[]): boolean {
  const own = new Set(skills.map((s) => s.name.toLowerCase()));
  return requested.every((name) => own.has(name.toLowerCase()));
}
