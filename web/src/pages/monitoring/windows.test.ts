import { describe, expect, it } from 'vitest';
import { decimalsFor, windowRange } from './windows.js';

describe('monitoring windows', () => {
  const now = Date.parse('2026-12-04T19:30:00Z');
  it('8 h, 3 days and a week end now', () => {
    expect(windowRange('8h', now, 'America/Los_Angeles')).toEqual({ from: now - 8 * 3_600_000, to: now });
    expect(windowRange('3d', now, 'UTC').from).toBe(now - 72 * 3_600_000);
    expect(windowRange('week', now, 'UTC').from).toBe(now - 168 * 3_600_000);
  });
  it('today starts at the plant\'s midnight, not the browser\'s or UTC\'s', () => {
    // 19:30 UTC is 11:30 in Los Angeles (UTC−8 in December): the plant day began at 08:00 UTC
    expect(windowRange('today', now, 'America/Los_Angeles')).toEqual({ from: Date.parse('2026-12-04T08:00:00Z'), to: now });
    expect(windowRange('today', now, 'Europe/Berlin').from).toBe(Date.parse('2026-12-03T23:00:00Z'));
  });
});

describe('decimalsFor', () => {
  it('shows film thickness in 0.01 µm steps and a temperature in tenths', () => {
    // spec 0.123–0.127 mm: centre 0.12512 and target 0.12500 must look different
    expect(decimalsFor([0.123, 0.127])).toBe(5);
    expect(decimalsFor([0.1245, 0.1255])).toBe(5);
    expect(decimalsFor([175, 190])).toBe(1);
    expect(decimalsFor([0, 1e-9])).toBe(6);
  });
  it('falls back to 3 decimals without a spread', () => {
    expect(decimalsFor([1])).toBe(3);
    expect(decimalsFor([2, 2])).toBe(3);
  });
});
