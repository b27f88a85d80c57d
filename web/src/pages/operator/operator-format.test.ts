import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { orderStops, shiftLabel } from './operator-format.js';

describe('operator screen wording', () => {
  it('names a shift by its day and clock in the plant zone', () => {
    const zone = 'America/Los_Angeles';
    const start = DateTime.fromISO('2022-10-13T22:45', { zone }).toMillis();
    expect(shiftLabel(start, start + 7.75 * 3_600_000, zone)).toBe('Thu 13 Oct · 22:45–06:30');
  });

  it('puts stops needing a reason first, oldest first, then the others newest first', () => {
    const stop = (startMs: number, given: boolean) => ({ startMs, segments: given ? [{}] : [] });
    const ordered = orderStops([stop(30, true), stop(10, false), stop(20, true), stop(40, false)]);
    expect(ordered.map((s) => s.startMs)).toEqual([10, 40, 30, 20]);
  });
});
