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
