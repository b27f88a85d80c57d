import { describe, expect, it } from 'vitest';
import { bucketsFromMinutes, chooseBucketMs, minutesOf, MINUTE_MS } from './index.js';

describe('measurement statistics', () => {
  it('sums per minute and merges minutes into buckets with mean, range and sample sd', () => {
    const samples = [0, 10_000, 61_000, 130_000].map((at, i) => ({ at, value: [1, 3, 5, 7][i] }));
    const minutes = minutesOf(samples);
    expect(minutes.map((m) => [m.minute, m.n, m.sum])).toEqual([[0, 2, 4], [MINUTE_MS, 1, 5], [2 * MINUTE_MS, 1, 7]]);
    const [bucket] = bucketsFromMinutes(minutes, 5 * MINUTE_MS);
    expect(bucket).toMatchObject({ start: 0, n: 4, mean: 4, min: 1, max: 7 });
    expect(bucket.sd).toBeCloseTo(Math.sqrt(20 / 3), 12);
    expect(bucketsFromMinutes(minutes, MINUTE_MS)[1].sd).toBeNull();
  });

  it('chooses a bucket giving at most 600 points, from a minute (1 h) to days (1 year)', () => {
    expect(chooseBucketMs(0, 3_600_000)).toBe(MINUTE_MS);
    expect(chooseBucketMs(0, 24 * 3_600_000)).toBe(5 * MINUTE_MS);
    const year = 365 * 24 * 3_600_000;
    expect(year / chooseBucketMs(0, year)).toBeLessThanOrEqual(600);
    expect(chooseBucketMs(0, year)).toBe(1440 * MINUTE_MS);
  });
});
