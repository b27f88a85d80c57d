import { describe, expect, it } from 'vitest';
import { PartRegistry } from './rework.js';
import type { Cycle } from '../sensor/index.js';
import { deriveBatch, gapsByDay, packGaps, unpackGaps } from './derive.js';

const T0 = Date.UTC(2026, 10, 25, 14, 59, 58, 0); // 2 s before an hour (and minute) edge
let line = 0;
const cycle = (offsetMs: number, lot = '159070', serial = '1', part = true): Cycle => ({ at: T0 + offsetMs, item: '1330700', lot, serial, part, line: ++line });

describe('deriveBatch', () => {
  it('gaps > 1 s chain across batches; minutes, hours, lead-in, reworks and lots', () => {
    const registry = new PartRegistry();
    const first = deriveBatch([cycle(0, '159070', '1'), cycle(450, '159070', '2'), cycle(1700, '0', '0', false)], { firstAt: null, lastAt: null, maxGapMs: 0 }, registry);
    expect(first.gaps).toEqual([{ start: T0 + 450, end: T0 + 1700 }]);
    expect(first.carry).toEqual({ firstAt: T0, lastAt: T0 + 1700, maxGapMs: 1250 });
    expect([...first.lots.values()].map((l) => [l.lot, l.cycles, l.parts])).toEqual([['159070', 2, 2]]);

    // the next batch starts 0.9 s later, across the hour edge, and steps the clock back once
    const second = deriveBatch(
      [cycle(2600, '159070', '3'), cycle(2400, '159070', '2'), cycle(7400, '159070', '000000'), cycle(7900, '159070', '000000')],
      first.carry,
      registry,
    );
    expect(second.gaps).toEqual([{ start: T0 + 2400, end: T0 + 7400 }]);
    expect([...second.reworks]).toEqual([0, 1, 0, 0]); // serial 2 seen before; 000000 identifies nothing
    const hour = T0 + 2000;
    const minute = second.minutes.get(hour);
    expect(minute).toEqual({
      cycles: 4, parts: 4, empty: 0, reworks: 1, firstPartAt: T0 + 2400, lastPartAt: T0 + 7900, firstAt: T0 + 2400, lastAt: T0 + 7900,
      // 900 (from the last cycle of batch 1) + 0 (clock back) + 5000 + 500
      gapMs: 6400,
      // the 0.9 s gap reaches 300 ms back before the hour: what a window starting at 15:00 clips away
      leadInMs: 300,
    });
    expect(second.hours.get(hour)).toEqual(minute);
    expect(second.carry).toEqual({ firstAt: T0, lastAt: T0 + 7900, maxGapMs: 5000 });
    expect(second.lots.get('159070')).toMatchObject({ cycles: 4, parts: 4, reworks: 1, firstAt: T0 + 2400, lastAt: T0 + 7900 });
  });

  it('packs gaps per UTC day of their end, exactly', () => {
    const gaps = [{ start: Date.UTC(2026, 0, 1, 23, 59, 0, 123), end: Date.UTC(2026, 0, 2, 0, 0, 5, 7) }, { start: Date.UTC(2026, 0, 1, 10, 0, 0, 1), end: Date.UTC(2026, 0, 1, 10, 0, 9, 999) }];
    const days = gapsByDay(gaps);
    expect([...days.keys()]).toEqual([Date.UTC(2026, 0, 2), Date.UTC(2026, 0, 1)]);
    const day1 = days.get(Date.UTC(2026, 0, 1)) ?? [];
    expect([...unpackGaps(packGaps(day1))]).toEqual(day1);
    expect([...unpackGaps(packGaps(day1).subarray(0))]).toEqual(day1);
    expect(() => unpackGaps(new Uint8Array(12))).toThrow(/whole number/);
  });
});
