import fc from 'fast-check';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { checkOfferedProviders, MEETING_PROVIDERS, MeetingProvider, offeredProviders } from '../../src/identity/meeting-providers.js';
import { errorSummary, ERROR_SUMMARY_LENGTH } from '../../src/notifications/meeting-messages.js';

const settings = { defaultProvider: MeetingProvider.JITSI, unconfigured: { TEAMS: 'TEAMS_TENANT_ID, TEAMS_CLIENT_ID and TEAMS_CLIENT_SECRET' } };
const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    return error as GraphQLError;
  }
  throw new Error('expected BAD_USER_INPUT');
};

describe('checkOfferedProviders', () => {
  it('keeps a list of distinct configured providers in its order; [] is the platform default', () => {
    expect(checkOfferedProviders(['PHONE', 'ZOOM'], settings)).toEqual(['PHONE', 'ZOOM']);
    expect(checkOfferedProviders([], settings)).toEqual([]);
  });

  it('refuses a repeat, one not configured (naming its settings) and more than there are, on input.meetingProviders', () => {
    expect(refusal(() => checkOfferedProviders(['ZOOM', 'PHONE', 'ZOOM'], settings)).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.meetingProviders', index: 2 });
    expect(refusal(() => checkOfferedProviders(['TEAMS'], settings)).message).toMatch(/TEAMS meeting provider is not configured.*TEAMS_TENANT_ID/);
    expect(refusal(() => checkOfferedProviders([...MEETING_PROVIDERS, 'ZOOM'], { ...settings, unconfigured: {} })).message).toMatch(/at most the 5/);
  });
});

describe('offeredProviders', () => {
  it('property: never empty, only configured ones or the default, the listed order kept, no repeats', () => {
    const provider = fc.constantFrom(...MEETING_PROVIDERS);
    fc.assert(
      fc.property(fc.array(provider, { maxLength: 8 }), fc.subarray([...MEETING_PROVIDERS]), provider, (listed, missing, defaultProvider) => {
        const s = { defaultProvider, unconfigured: Object.fromEntries(missing.map((p) => [p, `${p}_SETTING`])) };
        const offered = offeredProviders(listed, s);
        const usable = [...new Set(listed)].filter((p) => !missing.includes(p));
        expect(offered).toEqual(usable.length ? usable : [defaultProvider]);
      }),
    );
  });
});

describe('errorSummary', () => {
  it('puts the stored error on one line and cuts it short', () => {
    expect(errorSummary('  Zoom answered\n 401:\tinvalid token ')).toBe('Zoom answered 401: invalid token');
    expect(errorSummary(null)).toBeNull();
    expect(errorSummary('   ')).toBeNull();
    const long = errorSummary('x'.repeat(5000))!;
    expect(long).toHaveLength(ERROR_SUMMARY_LENGTH);
    expect(long.endsWith('…')).toBe(true);
  });
});
