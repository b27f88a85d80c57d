// The audit formatter: entries read in the words and units of the screens (issue 9, defect 9).
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { DEMO_WEEK } from '../demo/plant.js';
import { actionLabel, describeChange, formatInstantWithZone, recordLabel } from './describe.js';

const zone = 'America/Los_Angeles';
const ctx = { zone, machineNames: new Map([['line7', 'Line 7'], ['line8', 'Line 8']]), productNames: new Map([['strep-a-plus', 'Strep A+ FIA']]) };
/** the end of the plant day 2026-12-05, as a due entered as "2026-12-05" is stored */
const dueSat5Dec = DateTime.fromISO('2026-12-06T00:00', { zone }).toMillis();
const dueMon7Dec = DateTime.fromISO('2026-12-08T00:00', { zone }).toMillis();

describe('describeChange', () => {
  it('shows a due date kept as epoch milliseconds as the plant day, with the field label', () => {
    const lines = describeChange({ entity: 'work-order', action: 'update', before: { due: dueSat5Dec }, after: { due: dueMon7Dec } }, ctx);
    expect(lines).toEqual(['Due: Sat 5 Dec 2026 → Mon 7 Dec 2026']);
  });

  it('numbers steps and queue positions from 1, names machines, gives quantities units', () => {
    const lines = describeChange(
      {
        entity: 'work-order',
        action: 'close',
        before: { step: 0, state: 'queued', machine: 'line7', position: 0 },
        after: { step: 0, state: 'done', produced: 28_000, good: 28_000, quantity: 200_000 },
      },
      ctx,
    );
    expect(lines).toEqual(['Step 1', 'State: Queued → Done', 'Machine: Line 7', 'Queue position: 1', 'Produced: 28,000 units', 'Good: 28,000 units', 'Quantity: 200,000 units']);
    const moved = describeChange(
      { entity: 'work-order', action: 'load-position', before: { step: 1, state: 'queued', machine: 'line7', position: 0 }, after: { step: 1, state: 'queued', machine: 'line8', position: 2 } },
      ctx,
    );
    expect(moved).toEqual(['Step 2', 'Machine: Line 7 → Line 8', 'Queue position: 1 → 3']);
  });

  it('a created work order lists its fields with the product name; unknown machines keep their key', () => {
    const lines = describeChange(
      { entity: 'work-order', action: 'create', before: null, after: { lot: '160106', product: 'strep-a-plus', quantity: 200_000, due: '2026-12-06T08:00:00.000Z', priority: 0, notes: '', rateMode: null } },
      ctx,
    );
    expect(lines).toEqual(['Lot: 160106', 'Product: Strep A+ FIA', 'Quantity: 200,000 units', 'Due: Sat 5 Dec 2026', 'Priority: 0', 'Notes: —', 'Rate for forecasts: —']);
    expect(describeChange({ entity: 'work-order', action: 'park', before: { step: 0, machine: 'line99' }, after: { step: 0, state: 'parked' } }, ctx)).toEqual([
      'Step 1',
      'Machine: line99',
      'State: Parked',
    ]);
  });

  it('calendar changes: the days that changed, the shift hours, and what the week was before', () => {
    const days = { ...DEMO_WEEK, fri: [['06:30', '14:45'], ['14:45', '20:00']] as [string, string][] };
    const lines = describeChange({ entity: 'calendar', action: 'override-week', before: { days: DEMO_WEEK, followedDefault: true }, after: { days } }, ctx);
    expect(lines).toEqual(['Before: followed the default week', 'Fri: 06:30–14:45, 14:45–23:00 → 06:30–14:45, 14:45–20:00', 'Shift hours per week: 115.5 h → 112.5 h']);
    // older entries stored the bare pattern
    expect(describeChange({ entity: 'calendar', action: 'update-default', before: DEMO_WEEK, after: { ...DEMO_WEEK, sun: [] } }, ctx)).toEqual([
      'Sun: 06:30–14:45, 14:45–23:00 → not working',
      'Shift hours per week: 115.5 h → 99 h',
    ]);
  });

  it('booleans read Yes/No, unknown fields read as words, nested values never as JSON', () => {
    const lines = describeChange(
      { entity: 'machine', action: 'update', before: { enabled: true, maxCycleSeconds: 1.1, someNewSetting: { limitA: 3, onNights: false } }, after: { enabled: false, maxCycleSeconds: 1.5, someNewSetting: { limitA: 4, onNights: false } } },
      ctx,
    );
    expect(lines).toEqual(['Enabled: Yes → No', 'Longest normal cycle: 1.1 s → 1.5 s', 'Some new setting: Limit a 3, On nights No → Limit a 4, On nights No']);
    for (const line of lines) expect(line).not.toMatch(/[{}"]/);
  });

  it('instants are plant-local with seconds and the zone; records and actions read as words', () => {
    expect(formatInstantWithZone(Date.parse('2026-12-01T22:03:27Z'), zone)).toBe('Tue 1 Dec 2026 14:03:27 PST');
    expect(describeChange({ entity: 'work-order', action: 'counts', before: { step: 0, actualStart: '2026-07-01T13:00:00.000Z' }, after: { step: 0 } }, ctx)).toEqual([
      'Step 1',
      'Started: Wed 1 Jul 2026 06:00 PDT',
    ]);
    expect(recordLabel('work-order')).toBe('Work order');
    expect(actionLabel('load-append')).toBe('Loaded (end of queue)');
    expect(actionLabel('some-new-action')).toBe('Some new action');
  });

  it('the planning records of issue 15 read in the words of their screens', () => {
    expect(recordLabel('changeover-matrix')).toBe('Changeover matrix');
    expect(recordLabel('scenario')).toBe('What-if scenario');
    expect(actionLabel('accept-suggestion')).toBe('Suggested plan accepted');
    expect(actionLabel('publish')).toBe('Published into the live plan');
    expect(actionLabel('pin')).toBe('Pinned (the optimiser keeps it)');
  });
});
