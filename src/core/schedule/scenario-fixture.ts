// A small valid scenario in the `qmfg plan` file format, for the scenario and CLI tests.
import type { ScenarioFile } from './scenario.js';

const twoShifts: [string, string][] = [['06:30', '15:00'], ['15:00', '23:00']];

export function sampleScenario(): ScenarioFile {
  return {
    timezone: 'America/Los_Angeles',
    now: '2026-11-23T06:30',
    calendar: {
      default: { mon: twoShifts, tue: twoShifts, wed: twoShifts, thu: twoShifts, fri: twoShifts, sat: [], sun: [] },
      weeks: { '2026-W49': { mon: [['06:30', '15:00']], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } },
      holidays: ['2026-11-26'],
    },
    machines: [
      { key: 'line7', group: 'pouch' },
      { key: 'line8', group: 'pouch' },
      { key: 'kit1', group: 'kit' },
    ],
    products: [
      {
        key: 'SWAB',
        routing: [
          { group: 'pouch', ratePerHour: 5000, setupMinutes: 30, gateHours: 4 },
          { group: 'kit', ratePerHour: 10000, setupMinutes: 0, gateHours: 0 },
        ],
      },
    ],
    workOrders: [
      {
        lot: '159070',
        product: 'SWAB',
        quantity: 200000,
        due: '2026-11-27',
        operations: [
          { step: 0, machine: 'line7', position: 0, produced: 0 },
          { step: 1, machine: 'kit1', position: 0, produced: 0 },
        ],
      },
      {
        lot: '0159071',
        product: 'SWAB',
        quantity: 25000,
        due: '2026-11-23T12:00:00-08:00',
        operations: [{ step: 0, machine: 'line8', position: 0, produced: 0 }],
      },
      { lot: '159072', product: 'SWAB', quantity: 1000, due: null },
    ],
  };
}

/**
 * A scenario with families, a changeover matrix, a pinned operation, parked lots and a frozen
 * horizon, for the changeover and optimiser CLI tests. As given (hand-computed in scenario.test.ts):
 *   line7 (last ran flu): L1 FLU 06:30–15:00, L2 STREP flu → strep 150 min 15:00–17:30 then to 22:00 (due 18:00: 4 h late);
 *   line8 (last family unknown): L3 STREP_PLUS 06:30–11:30; L4, L5 and L6 parked.
 */
export function changeoverScenario(): ScenarioFile {
  return {
    timezone: 'America/Los_Angeles',
    now: '2026-11-23T06:30',
    calendar: {
      default: { mon: twoShifts, tue: twoShifts, wed: twoShifts, thu: twoShifts, fri: twoShifts, sat: [], sun: [] },
      weeks: {},
      holidays: [],
    },
    machines: [
      { key: 'line7', group: 'pouch', lastFamily: 'flu' },
      { key: 'line8', group: 'pouch', lastFamily: null },
      { key: 'kit1', group: 'kit' },
    ],
    products: [
      { key: 'FLU', family: 'flu', routing: [{ group: 'pouch', ratePerHour: 5000, setupMinutes: 30 }] },
      { key: 'STREP', family: 'strep', routing: [{ group: 'pouch', ratePerHour: 5000, setupMinutes: 30 }] },
      { key: 'STREP_PLUS', family: 'strep', routing: [{ group: 'pouch', ratePerHour: 4000 }] },
      // no family: SWAB is its own
      { key: 'SWAB', routing: [{ group: 'pouch', ratePerHour: 5000 }, { group: 'kit', ratePerHour: 10000 }] },
    ],
    changeovers: [
      { from: 'flu', to: 'strep', minutes: 150 },
      { from: 'strep', to: 'flu', minutes: 90 },
      { from: '*', to: '*', minutes: 60 },
      { group: 'pouch', from: 'SWAB', to: 'SWAB', minutes: 20 },
    ],
    frozenHours: 1,
    workOrders: [
      { lot: 'L1', product: 'FLU', quantity: 40000, due: '2026-11-24', operations: [{ step: 0, machine: 'line7', position: 0, pinned: true }] },
      { lot: 'L2', product: 'STREP', quantity: 20000, due: '2026-11-23T18:00', operations: [{ step: 0, machine: 'line7', position: 1 }] },
      { lot: 'L3', product: 'STREP_PLUS', quantity: 20000, due: '2026-11-24T12:00', operations: [{ step: 0, machine: 'line8', position: 0 }] },
      { lot: 'L4', product: 'FLU', quantity: 10000, due: '2026-11-23T16:00' },
      { lot: 'L5', product: 'SWAB', quantity: 30000, due: '2026-11-25' },
      { lot: 'L6', product: 'STREP', quantity: 10000, due: null },
    ],
  };
}
