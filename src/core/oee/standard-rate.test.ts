import { describe, expect, it } from 'vitest';
import { standardRateFor } from './standard-rate.js';

const machine = { key: 'line7', group: 'itrak' };
const products = [
  { itemNumber: '1330700', routing: [{ group: 'swab', ratePerHour: 900 }, { group: 'itrak', ratePerHour: 6000 }] },
  { itemNumber: '1451300', routing: [{ group: 'itrak', ratePerHour: 7200 }] },
  { itemNumber: '9999999', routing: [{ group: 'swab', ratePerHour: 500 }] },
];

describe('standardRateFor', () => {
  it("takes the machine group's rate of the product that made the most parts on that machine", () => {
    const lots = [
      { machine: 'line7', item: '1330700', parts: 400 },
      { machine: 'line7', item: '1451300', parts: 300 },
      { machine: 'line7', item: '1451300', parts: 200 },
      { machine: 'line8', item: '1330700', parts: 90_000 },
    ];
    expect(standardRateFor(machine, lots, products)).toBe(7200);
  });

  it('skips products without a step on the group or unknown; null when none fits or no machine', () => {
    const lots = [
      { machine: 'line7', item: '9999999', parts: 5000 },
      { machine: 'line7', item: '0000001', parts: 4000 },
      { machine: 'line7', item: '1330700', parts: 10 },
    ];
    expect(standardRateFor(machine, lots, products)).toBe(6000);
    expect(standardRateFor(machine, lots.slice(0, 2), products)).toBeNull();
    expect(standardRateFor(undefined, lots, products)).toBeNull();
    expect(standardRateFor(machine, [], products)).toBeNull();
  });
});
