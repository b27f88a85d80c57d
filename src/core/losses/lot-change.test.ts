import { describe, expect, it } from 'vitest';
import { isNoLot, stopsAtLotChange } from './lot-change.js';

const MIN = 60_000;

describe('stopsAtLotChange', () => {
  const lots = [
    { lot: '159159', firstAt: 0, lastAt: 100 * MIN },
    { lot: '0', firstAt: 10 * MIN, lastAt: 140 * MIN }, // empty pockets, no lot
    { lot: '159170', firstAt: 131 * MIN, lastAt: 300 * MIN },
  ];

  it('finds the stop that ends where a new lot starts, after another lot ran', () => {
    const stops = [
      { start: 50 * MIN, end: 55 * MIN }, // inside the first lot
      { start: 100 * MIN, end: 130 * MIN }, // the new lot's first cycle a minute later (empty pockets first)
      { start: 200 * MIN, end: 230 * MIN }, // inside the second lot
    ];
    expect(stopsAtLotChange(stops, lots)).toEqual([{ start: 100 * MIN, end: 130 * MIN }]);
  });

  it('is not a lot change when the first lot starts (nothing ran before) or the new lot starts much later', () => {
    expect(stopsAtLotChange([{ start: -30 * MIN, end: 0 }], lots)).toEqual([]);
    expect(stopsAtLotChange([{ start: 100 * MIN, end: 120 * MIN }], lots)).toEqual([]); // 11 min to the new lot's first cycle
  });

  it('ignores "no lot" as a lot', () => {
    expect(isNoLot('0')).toBe(true);
    expect(isNoLot('000000')).toBe(true);
    expect(isNoLot('159159')).toBe(false);
    expect(stopsAtLotChange([{ start: 5 * MIN, end: 10 * MIN }], lots)).toEqual([]);
  });
});
