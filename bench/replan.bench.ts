// Full re-plan of a plant-sized order book: 1 000 work orders × 5 steps on 50 machines over about
// a year, site calendar two shifts Mon–Fri. Deterministic input (seeded generator).
import { DateTime } from 'luxon';
import { workingIntervals, type CalendarSpec, type Shift } from '../src/core/calendar/index.js';
import { plan, type PlanInput, type PlanWorkOrder } from '../src/core/schedule/index.js';
import { sample, type Figure } from './lib.js';

const ZONE = 'America/Los_Angeles';
const GROUPS = ['pouch', 'label', 'kit', 'seal', 'pack'];
const MACHINES_PER_GROUP = 10;
const WORK_ORDERS = 1000;

/** mulberry32: small, fast, same sequence for the same seed */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function replanInput(): PlanInput {
  const random = seededRandom(20261123);
  const twoShifts: Shift[] = [['06:30', '15:00'], ['15:00', '23:00']];
  const calendar: CalendarSpec = {
    default: { mon: twoShifts, tue: twoShifts, wed: twoShifts, thu: twoShifts, fri: twoShifts, sat: [], sun: [] },
    weeks: {},
    holidays: ['2026-12-25', '2027-01-01', '2027-05-31', '2027-07-05', '2027-09-06', '2027-11-25'],
  };
  const now = DateTime.fromISO('2026-11-23T09:17', { zone: ZONE }).toMillis();
  const machines = GROUPS.flatMap((group) =>
    Array.from({ length: MACHINES_PER_GROUP }, (_, index) => ({ key: `${group}${index + 1}`, group })),
  );
  const products = Array.from({ length: 20 }, (_, index) => ({
    key: `P${index}`,
    routing: GROUPS.map((group) => ({
      group,
      ratePerHour: 4000 + Math.floor(random() * 4000),
      setupMinutes: 15 + Math.floor(random() * 45),
      gateHours: random() < 0.3 ? 4 : 0,
    })),
  }));
  const queueLength = new Map<string, number>();
  const workOrders: PlanWorkOrder[] = [];
  for (let index = 0; index < WORK_ORDERS; index++) {
    const product = products[index % products.length];
    // ~100 jobs of ~25 working hours per machine; with the waits between steps the plan spans about a year
    const quantity = 40_000 + Math.floor(random() * 200_000);
    const operations = GROUPS.map((group, step) => {
      const machine = `${group}${1 + Math.floor(random() * MACHINES_PER_GROUP)}`;
      const position = queueLength.get(machine) ?? 0;
      queueLength.set(machine, position + 1);
      const running = position === 0 && step === 0;
      return { step, machine, position, produced: running ? Math.floor(quantity / 3) : 0, state: running ? ('running' as const) : ('queued' as const) };
    });
    workOrders.push({
      lot: String(159000 + index),
      product: product.key,
      quantity,
      due: now + (30 + Math.floor(random() * 330)) * 86_400_000,
      rateMode: index % 4 === 0 ? 'observed' : 'standard',
      operations: operations.map((operation) => ({ ...operation, observedRatePerHour: 3500 })),
    });
  }
  return { now, working: (from, to) => workingIntervals(calendar, ZONE, from, to), machines, products, workOrders };
}

export default async function replanBench(): Promise<Figure[]> {
  const input = replanInput();
  const result = plan(input);
  const ends = result.operations.flatMap((operation) => (operation.end === null ? [] : [operation.end]));
  const spanDays = (Math.max(...ends) - input.now) / 86_400_000;
  process.stderr.write(
    `replan: ${result.operations.length} operations, ${ends.length} planned, ${result.unplanned.length} unplanned, ` +
      `${result.operations.filter((operation) => operation.late).length} late, last end after ${spanDays.toFixed(0)} days\n`,
  );
  // Each run is a full re-plan from scratch, calendar included (a fresh working-time timeline).
  const timing = await sample(() => plan(input), 20, 3);
  return [{ name: 'schedule: full re-plan 1000 WO x 5 ops, 50 machines', value: Number(timing.median.toFixed(2)), unit: 'ms', target: 100 }];
}
