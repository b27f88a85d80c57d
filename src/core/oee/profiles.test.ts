import { describe, expect, it } from 'vitest';
import { profileSchema } from './profile-schema.js';
import { BUILTIN_PROFILES, isBuiltinProfileName, profileLabel } from './profiles.js';

describe('built-in profiles', () => {
  it('itrak-legacy carries the original system parameters', () => {
    expect(BUILTIN_PROFILES['itrak-legacy']).toEqual({
      name: 'itrak-legacy',
      version: 1,
      maxCycleSeconds: 1.1,
      stopBinsSeconds: [1.1, 12, 60, 300],
      availabilityLossSeconds: 60,
      basis: 'firstToLastPart',
      idealRatePerMinute: 140,
    });
  });

  it('iso22400 uses the calendar basis and counts every stop as availability loss', () => {
    const iso = BUILTIN_PROFILES.iso22400;
    expect(iso.basis).toBe('calendar');
    expect(iso.availabilityLossSeconds).toBeLessThanOrEqual(iso.maxCycleSeconds);
  });

  it('both pass the schema that user-defined profiles must pass', () => {
    for (const profile of Object.values(BUILTIN_PROFILES)) expect(profileSchema.safeParse(profile).success).toBe(true);
  });

  it('are frozen so that no caller can change them for everyone', () => {
    expect(() => {
      (BUILTIN_PROFILES['itrak-legacy'] as { maxCycleSeconds: number }).maxCycleSeconds = 2;
    }).toThrow(TypeError);
  });

  it('labels and names', () => {
    expect(profileLabel(BUILTIN_PROFILES.iso22400)).toBe('iso22400@v1');
    expect(isBuiltinProfileName('itrak-legacy')).toBe(true);
    expect(isBuiltinProfileName('toString')).toBe(false);
  });
});

describe('profileSchema', () => {
  const valid = { ...BUILTIN_PROFILES['itrak-legacy'], name: 'line7-custom', stopBinsSeconds: [1, 10, 100] };
  const issuesOf = (candidate: unknown): string[] => {
    const parsed = profileSchema.safeParse(candidate);
    return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  };

  it('accepts a sensible user profile', () => {
    expect(issuesOf(valid)).toEqual([]);
  });

  it('refuses non-positive numbers', () => {
    expect(issuesOf({ ...valid, maxCycleSeconds: 0 })[0]).toMatch(/^maxCycleSeconds:/);
    expect(issuesOf({ ...valid, idealRatePerMinute: -140 })[0]).toMatch(/^idealRatePerMinute:/);
    expect(issuesOf({ ...valid, availabilityLossSeconds: Number.POSITIVE_INFINITY })[0]).toMatch(/^availabilityLossSeconds:/);
    expect(issuesOf({ ...valid, version: 0 })[0]).toMatch(/^version:/);
  });

  it('refuses bins that are not strictly ascending', () => {
    expect(issuesOf({ ...valid, stopBinsSeconds: [1, 60, 12] })).toEqual(['stopBinsSeconds.2: stop bins must be strictly ascending: 12 s follows 60 s']);
    expect(issuesOf({ ...valid, stopBinsSeconds: [1, 12, 12] })).toHaveLength(1);
    expect(issuesOf({ ...valid, stopBinsSeconds: [] })[0]).toMatch(/^stopBinsSeconds:/);
  });

  it('refuses a first bin above maxCycleSeconds (short stops would fall in no class)', () => {
    expect(issuesOf({ ...valid, stopBinsSeconds: [5, 60] })[0]).toMatch(/^stopBinsSeconds\.0: the first stop bin \(5 s\) must not exceed maxCycleSeconds/);
  });

  it('refuses an unknown basis and a bad name', () => {
    expect(issuesOf({ ...valid, basis: 'shift' })[0]).toMatch(/^basis:/);
    expect(issuesOf({ ...valid, name: 'Line 7!' })[0]).toMatch(/^name:/);
  });
});
