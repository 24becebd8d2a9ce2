import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ASSIGNMENT_WEIGHTS, rankCandidates, type AssignmentCandidate, type RankedCandidate } from '../../src/consultations/assignment.js';
import { hasSkills } from '../../src/identity/skills.js';
import type { SkillProficiency } from '../../src/identity/profile.entity.js';

let counter = 0;
function candidate(over: Partial<AssignmentCandidate> = {}): AssignmentCandidate {
  const n = ++counter;
  return {
    consultantId: `c${n}`,
    code: `CONS-${String(n).padStart(4, '0')}`,
    skills: [{ name: 'Go', proficiency: 'EXPERT' }],
    ratingCount: 0,
    ratingOverallSum: 0,
    previousSessions: 0,
    load: 0,
    ...over,
  };
}
const ids = (ranked: readonly RankedCandidate[]) => ranked.map((r) => r.consultantId);
const byId = (ranked: readonly RankedCandidate[], id: string) => ranked.find((r) => r.consultantId === id)!;

describe('hasSkills', () => {
  const skills = [{ name: 'TypeScript' }, { name: 'PostgreSQL' }];
  it('needs every requested skill, compared case-insensitively', () => {
    expect(hasSkills(skills, ['typescript'])).toBe(true);
    expect(hasSkills(skills, ['TYPESCRIPT', 'postgresql'])).toBe(true);
    expect(hasSkills(skills, ['TypeScript', 'Kubernetes'])).toBe(false);
    expect(hasSkills(skills, ['Type'])).toBe(false);
  });
  it('nothing requested: anyone fits; nothing owned: fits only an empty request', () => {
    expect(hasSkills(skills, [])).toBe(true);
    expect(hasSkills([], [])).toBe(true);
    expect(hasSkills([], ['go'])).toBe(false);
  });
});

describe('rankCandidates: examples', () => {
  it('the weights add up to 1', () => {
    const { skillMatch, familiarity, rating, availability } = ASSIGNMENT_WEIGHTS;
    expect(skillMatch + familiarity + rating + availability).toBeCloseTo(1, 12);
  });

  it('no candidates: no ranking', () => {
    expect(rankCandidates([], ['go'])).toEqual([]);
  });

  it('higher proficiency wins with all else equal', () => {
    const levels: SkillProficiency[] = ['BEGINNER', 'EXPERT', 'INTERMEDIATE'];
    const list = levels.map((proficiency) => candidate({ consultantId: proficiency, code: `X-${proficiency}`, skills: [{ name: 'Go', proficiency }] }));
    const ranked = rankCandidates(list, ['go']);
    expect(ids(ranked)).toEqual(['EXPERT', 'INTERMEDIATE', 'BEGINNER']);
    expect(ranked.map((r) => r.skillMatch)).toEqual([1, 0.67, 0.33]);
    expect(ranked[0]!.score).toBeGreaterThan(ranked[1]!.score);
    expect(ranked[1]!.score).toBeGreaterThan(ranked[2]!.score);
  });

  it('skill match is the mean proficiency over the requested skills; 1 when none is requested', () => {
    const a = candidate({ skills: [{ name: 'Go', proficiency: 'EXPERT' }, { name: 'SQL', proficiency: 'BEGINNER' }] });
    expect(rankCandidates([a], ['GO', 'sql'])[0]!.skillMatch).toBe(0.67);
    expect(rankCandidates([a], [])[0]!.skillMatch).toBe(1);
    expect(rankCandidates([candidate({ skills: [] })], [])[0]!.skillMatch).toBe(1);
  });

  it('the less loaded wins with all else equal; availability is relative to the busiest', () => {
    const busy = candidate({ consultantId: 'busy', code: 'A', load: 4 });
    const some = candidate({ consultantId: 'some', code: 'B', load: 1 });
    const idle = candidate({ consultantId: 'idle', code: 'C', load: 0 });
    const ranked = rankCandidates([busy, some, idle], ['go']);
    expect(ids(ranked)).toEqual(['idle', 'some', 'busy']);
    expect(ranked.map((r) => r.availability)).toEqual([1, 0.75, 0]);
    // Nobody booked: everyone fully available.
    expect(rankCandidates([candidate(), candidate()], []).map((r) => r.availability)).toEqual([1, 1]);
  });

  it('familiarity with the client counts, saturating at 3 sessions', () => {
    const list = [0, 1, 3, 10].map((previousSessions) => candidate({ consultantId: `p${previousSessions}`, previousSessions }));
    const ranked = rankCandidates(list, ['go']);
    expect(ids(ranked).slice(2)).toEqual(['p1', 'p0']);
    expect(byId(ranked, 'p0').familiarity).toBe(0);
    expect(byId(ranked, 'p1').familiarity).toBe(0.33);
    expect(byId(ranked, 'p3').familiarity).toBe(1);
    expect(byId(ranked, 'p10').familiarity).toBe(1);
    expect(byId(ranked, 'p3').score).toBe(byId(ranked, 'p10').score);
  });

  it('rating counts, pulled towards 3.5 so a newcomer is neither best nor worst', () => {
    const newcomer = candidate({ consultantId: 'new' });
    const oneBad = candidate({ consultantId: 'oneBad', ratingCount: 1, ratingOverallSum: 1 });
    const oneGreat = candidate({ consultantId: 'oneGreat', ratingCount: 1, ratingOverallSum: 5 });
    const manyGood = candidate({ consultantId: 'manyGood', ratingCount: 10, ratingOverallSum: 48 });
    const ranked = rankCandidates([oneBad, newcomer, oneGreat, manyGood], ['go']);
    expect(ids(ranked)).toEqual(['manyGood', 'oneGreat', 'new', 'oneBad']);
    // (sum + 3.5·2) / (count + 2), then 1–5 onto 0–1.
    expect(byId(ranked, 'new').rating).toBe(0.63); // 3.5 → 0.625
    expect(byId(ranked, 'oneGreat').rating).toBe(0.75); // 4
    expect(byId(ranked, 'oneBad').rating).toBe(0.42); // 2.67
    expect(byId(ranked, 'manyGood').rating).toBe(0.9); // 4.58
  });

  it('weighs the components 0.35 / 0.2 / 0.2 / 0.25', () => {
    // Expert, 3 sessions, mean exactly 5 is impossible with the prior; use a newcomer (0.625).
    const [r] = rankCandidates([candidate({ previousSessions: 3 })], ['go']);
    expect(r!.score).toBeCloseTo(0.35 * 1 + 0.2 * 1 + 0.2 * 0.625 + 0.25 * 1, 6);
    const [s] = rankCandidates([candidate({ skills: [{ name: 'Go', proficiency: 'BEGINNER' }] })], ['go']);
    expect(s!.score).toBeCloseTo(0.35 / 3 + 0 + 0.2 * 0.625 + 0.25 * 1, 6);
  });

  it('a better score beats a lower load: a well-matched busier consultant beats an idle poor match', () => {
    const busyExpert = candidate({ consultantId: 'busyExpert', load: 1, previousSessions: 3, ratingCount: 20, ratingOverallSum: 100 });
    const idleBeginner = candidate({ consultantId: 'idleBeginner', load: 0, skills: [{ name: 'Go', proficiency: 'BEGINNER' }] });
    expect(ids(rankCandidates([idleBeginner, busyExpert], ['go']))).toEqual(['busyExpert', 'idleBeginner']);
  });

  it('a tie goes to the lower load, then to the lower code', () => {
    // maxLoad 5: load 1 → availability 0.8 (0.25·0.8 = 0.2), load 5 → 0; 3 earlier sessions
    // give familiarity 1 (0.2·1 = 0.2): the two trade off exactly.
    const lightNew = candidate({ consultantId: 'lightNew', code: 'Z-9', load: 1, previousSessions: 0 });
    const heavyFamiliar = candidate({ consultantId: 'heavyFamiliar', code: 'A-1', load: 5, previousSessions: 3 });
    const ranked = rankCandidates([heavyFamiliar, lightNew], ['go']);
    expect(ranked[0]!.score).toBe(ranked[1]!.score);
    expect(ids(ranked)).toEqual(['lightNew', 'heavyFamiliar']);

    const twinB = candidate({ consultantId: 'twinB', code: 'CODE-B', load: 2 });
    const twinA = candidate({ consultantId: 'twinA', code: 'CODE-A', load: 2 });
    const twinC = candidate({ consultantId: 'twinC', code: 'CODE-C', load: 2 });
    expect(ids(rankCandidates([twinB, twinC, twinA], ['go']))).toEqual(['twinA', 'twinB', 'twinC']);
    expect(ids(rankCandidates([twinC, twinA, twinB], ['go']))).toEqual(['twinA', 'twinB', 'twinC']);
  });

  it('the reason says how many were free and why', () => {
    const a = candidate({ ratingCount: 2, ratingOverallSum: 9, previousSessions: 1, load: 2 });
    const b = candidate({ load: 1 });
    const c = candidate({ previousSessions: 2, load: 0 });
    const ranked = rankCandidates([a, b, c], ['go']);
    for (const r of ranked) expect(r.reason).toMatch(/^Best of 3 free consultants \(score \d\.\d\d\): /);
    const ra = byId(ranked, a.consultantId).reason;
    expect(ra).toContain(`score ${byId(ranked, a.consultantId).score.toFixed(2)}`);
    expect(ra).toContain('1 earlier session with this client');
    expect(ra).toContain('rated 4.50 by 2');
    expect(ra).toContain('2 sessions booked around that day.');
    const rb = byId(ranked, b.consultantId).reason;
    expect(rb).toContain('0 earlier sessions with this client');
    expect(rb).toContain('not rated yet');
    expect(rb).toContain('1 session booked around that day.');
    expect(byId(ranked, c.consultantId).reason).toContain('2 earlier sessions');

    const [only] = rankCandidates([candidate()], []);
    expect(only!.reason).toMatch(/^Best of 1 free consultant \(/);
    expect(only!.reason).toContain('skill match 1.00');
  });
});

describe('rankCandidates: properties', () => {
  const SKILL_NAMES = ['go', 'Go', 'SQL', 'sql', 'Rust', 'UX'];
  const skill = fc.record({ name: fc.constantFrom(...SKILL_NAMES), proficiency: fc.constantFrom<SkillProficiency>('BEGINNER', 'INTERMEDIATE', 'EXPERT') });
  const ratings = fc
    .record({ count: fc.integer({ min: 0, max: 200 }), extra: fc.nat() })
    .map(({ count, extra }) => ({ ratingCount: count, ratingOverallSum: count + (extra % (4 * count + 1)) }));
  const candidateArb = fc.record({
    code: fc.string({ minLength: 1, maxLength: 6 }),
    skills: fc.array(skill, { maxLength: 5 }),
    ratings,
    previousSessions: fc.integer({ min: 0, max: 10 }),
    // Small loads so that ties (equal scores) actually happen.
    load: fc.integer({ min: 0, max: 6 }),
  });
  const candidates = fc
    .uniqueArray(candidateArb, { selector: (c) => c.code, maxLength: 12 })
    .map((list) =>
      list.map(({ ratings: r, ...c }, i): AssignmentCandidate => ({ ...c, ...r, consultantId: `id-${i}` })),
    );
  const requested = fc.array(fc.constantFrom(...SKILL_NAMES), { maxLength: 4 });
  const withShuffle = candidates.chain((list) => fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length })));

  it('the ranking is a permutation of the input ids', () => {
    fc.assert(
      fc.property(candidates, requested, (list, skills) => {
        const ranked = rankCandidates(list, skills);
        expect([...ids(ranked)].sort()).toEqual(list.map((c) => c.consultantId).sort());
      }),
    );
  });

  it('does not depend on the order of the input', () => {
    fc.assert(
      fc.property(withShuffle, requested, ([list, shuffled], skills) => {
        expect(rankCandidates(shuffled, skills)).toEqual(rankCandidates(list, skills));
      }),
      { numRuns: 300 },
    );
  });

  /** Few distinct values, so equal scores (and the tie-breaks) are common. */
  const tieProne = fc
    .uniqueArray(
      fc.record({
        code: fc.string({ minLength: 1, maxLength: 3 }),
        proficiency: fc.constantFrom<SkillProficiency>('INTERMEDIATE', 'EXPERT'),
        previousSessions: fc.constantFrom(0, 3),
        load: fc.constantFrom(1, 5),
      }),
      { selector: (c) => c.code, minLength: 2, maxLength: 10 },
    )
    .map((list) =>
      list.map(({ proficiency, ...c }, i): AssignmentCandidate => ({ ...c, skills: [{ name: 'Go', proficiency }], ratingCount: 0, ratingOverallSum: 0, consultantId: `id-${i}` })),
    )
    .chain((list) => fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length })));

  it('does not depend on the order of the input, even with many ties', () => {
    let ties = 0;
    fc.assert(
      fc.property(tieProne, ([list, shuffled]) => {
        const ranked = rankCandidates(list, ['go']);
        expect(rankCandidates(shuffled, ['go'])).toEqual(ranked);
        if (new Set(ranked.map((r) => r.score)).size < ranked.length) ties++;
      }),
      { numRuns: 300 },
    );
    // The property really exercised the tie-breaks.
    expect(ties).toBeGreaterThan(50);
  });

  it('is deterministic and leaves its input alone', () => {
    fc.assert(
      fc.property(candidates, requested, (list, skills) => {
        const before = structuredClone(list);
        const first = rankCandidates(list, skills);
        expect(rankCandidates(list, skills)).toEqual(first);
        expect(list).toEqual(before);
      }),
    );
  });

  it('best first: the first has the max score; scores never increase; ties by load then code', () => {
    fc.assert(
      fc.property(candidates, requested, (list, skills) => {
        const ranked = rankCandidates(list, skills);
        if (ranked.length === 0) return;
        expect(ranked[0]!.score).toBe(Math.max(...ranked.map((r) => r.score)));
        const of = new Map(list.map((c) => [c.consultantId, c]));
        for (let i = 1; i < ranked.length; i++) {
          const [prev, cur] = [ranked[i - 1]!, ranked[i]!];
          expect(prev.score).toBeGreaterThanOrEqual(cur.score);
          if (prev.score !== cur.score) continue;
          const [p, c] = [of.get(prev.consultantId)!, of.get(cur.consultantId)!];
          expect(p.load).toBeLessThanOrEqual(c.load);
          if (p.load === c.load) expect(p.code < c.code).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('scores and components are within [0, 1], and the score is the weighted sum of the components', () => {
    fc.assert(
      fc.property(candidates, requested, (list, skills) => {
        const w = ASSIGNMENT_WEIGHTS;
        for (const r of rankCandidates(list, skills)) {
          for (const value of [r.score, r.skillMatch, r.familiarity, r.rating, r.availability]) {
            expect(value).toBeGreaterThanOrEqual(0);
            expect(value).toBeLessThanOrEqual(1);
          }
          // Components are shown rounded to 2 places: at most 0.005 off each.
          const weighted = w.skillMatch * r.skillMatch + w.familiarity * r.familiarity + w.rating * r.rating + w.availability * r.availability;
          expect(Math.abs(r.score - weighted)).toBeLessThanOrEqual(0.005 + 1e-6);
          expect(r.reason).toContain(`Best of ${list.length} free consultant`);
        }
      }),
    );
  });

  it('the least loaded candidate has availability 1, the busiest 0 (when anyone is busy)', () => {
    fc.assert(
      fc.property(candidates, requested, (list, skills) => {
        const ranked = rankCandidates(list, skills);
        const maxLoad = Math.max(0, ...list.map((c) => c.load));
        for (const c of list) {
          const availability = byId(ranked, c.consultantId).availability;
          if (c.load === 0) expect(availability).toBe(1);
          if (maxLoad > 0 && c.load === maxLoad) expect(availability).toBe(0);
        }
      }),
    );
  });
});
