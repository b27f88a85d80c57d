import { describe, expect, it } from 'vitest';
import { dueDay } from './due.js';

const zone = 'America/Los_Angeles';

describe('dueDay: one reading of a stored due for screens, audit and exports', () => {
  it('reads the local midnight after a day as that day, without a time', () => {
    const { day, timeOfDay } = dueDay('2026-12-06T08:00:00.000Z', zone); // 00:00 PST on Sun 6 Dec
    expect(day.toISODate()).toBe('2026-12-05');
    expect(timeOfDay).toBe(false);
  });
  it('reads 23:59:59.999 (older and demo data) as that same day', () => {
    const ms = Date.parse('2026-12-06T07:59:59.999Z'); // 23:59:59.999 PST on Sat 5 Dec
    const { day, timeOfDay } = dueDay(ms, zone);
    expect(day.toISODate()).toBe('2026-12-05');
    expect(timeOfDay).toBe(false);
  });
  it('keeps any other instant as a due time on its own day', () => {
    const { day, timeOfDay } = dueDay('2026-12-05T22:00:00.000Z', zone); // 14:00 PST
    expect(day.toFormat('yyyy-MM-dd HH:mm')).toBe('2026-12-05 14:00');
    expect(timeOfDay).toBe(true);
  });
});
