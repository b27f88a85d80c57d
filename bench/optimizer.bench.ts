// The plan optimiser (issue 15): quality against earliest-due-date dispatch on 40 parked lots, speed
// and quality on the full plant. Instances come from a seeded generator with plausible plant figures
// (rates, quantities, due dates spread over the coming weeks); nothing in it is fitted to the results.
import { DateTime } from 'luxon';
import { workingIntervals, type CalendarSpec, type Shift } from '../src/core/calendar/index.js';
import {
  capableToPromise,
  earliestDueDateDispatch,
  optimize,
  type ChangeoverRule,
  type PlanInput,
  type PlanKpis,
  type PlanProduct,
  type PlanWorkOrder,
} from '../src/core/schedule/index.js';
import { mulberry32 } from '../src/core/random.js';
import { sample, type Figure } from './lib.js';

const ZONE = 'America/Los_Angeles';
const NOW = DateTime.fromISO('2026-11-23T06:00', { zone: ZONE }).toMillis();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function calendar(shifts: Shift[]): PlanInput['working'] {
  const spec: CalendarSpec = {
    default: { mon: shifts, tue: shifts, wed: shifts, thu: shifts, fri: shifts, sat: [], sun: [] },
    weeks: {},
    holidays: ['2026-12-25', '2027-01-01'],
  };
  return (from, to) => workingIntervals(spec, ZONE, from, to);
}

const CHANGEOVERS: ChangeoverRule[] = [
  { from: '*', to: '*', minutes: 90 },
  { from: 'flu', to: 'strep', minutes: 120 },
  { from: 'strep', to: 'flu', minutes: 150 },
  { from: 'covid', to: '*', minutes: 180 },
  { from: 'flu', to: 'flu', minutes: 20 },
];

/** 40 parked lots of 4 products in 3 families on 4 pouchers, Mon–Fri 06–22. */
export function pouchersInput(seed: number): PlanInput {
  const random = mulberry32(seed);
  const products: PlanProduct[] = [
    { key: 'flu-ab', family: 'flu', routing: [{ group: 'pouch', ratePerHour: 6000, setupMinutes: 20, gateHours: 0 }] },
    { key: 'flu-a', family: 'flu', routing: [{ group: 'pouch', ratePerHour: 5500, setupMinutes: 20, gateHours: 0 }] },
    { key: 'strep-a', family: 'strep', routing: [{ group: 'pouch', ratePerHour: 5000, setupMinutes: 25, gateHours: 0 }] },
    { key: 'covid-ag', family: 'covid', routing: [{ group: 'pouch', ratePerHour: 4500, setupMinutes: 30, gateHours: 0 }] },
  ];
  const workOrders: PlanWorkOrder[] = Array.from({ length: 40 }, (_, index) => {
    const product = products[Math.floor(random() * products.length)];
    // 6–20 working hours each: ~500 h of work on 4 × 80 h a week, more than the pouchers can do by the last due date
    const quantity = Math.round((30_000 + random() * 60_000) / 1000) * 1000;
    // due over the next ten days, in no particular order: about as much work as the pouchers can do by then
    // (at least two days of lead time: a lot due before it could run even alone is late whatever the plan)
    const due = NOW + (2 + Math.floor(random() * 9)) * DAY;
    return { lot: String(170000 + index), product: product.key, quantity, due, operations: [] };
  });
  return {
    now: NOW,
    working: calendar([['06:00', '22:00']]),
    machines: [1, 2, 3, 4].map((index) => ({ key: `pouch${index}`, group: 'pouch' })),
    products,
    workOrders,
    changeovers: CHANGEOVERS,
  };
}

/** 1 000 work orders × 2 steps (pouching, QC gate, kitting) on 19 machines; two thirds already queued. */
export function plantInput(): PlanInput {
  const random = mulberry32(20261203);
  const machines = [
    ...Array.from({ length: 6 }, (_, index) => ({ key: `itrak${index + 1}`, group: 'itrak' })),
    ...Array.from({ length: 4 }, (_, index) => ({ key: `dip${index + 1}`, group: 'dipstick' })),
    ...Array.from({ length: 3 }, (_, index) => ({ key: `swab${index + 1}`, group: 'swab' })),
    ...Array.from({ length: 6 }, (_, index) => ({ key: `kit${index + 1}`, group: 'kit' })),
  ];
  const pouchGroups = ['itrak', 'dipstick', 'swab'];
  const families = ['flu', 'strep', 'covid', 'rsv', 'hcg'];
  const products: PlanProduct[] = Array.from({ length: 15 }, (_, index) => ({
    key: `P${index}`,
    family: families[index % families.length],
    routing: [
      { group: pouchGroups[index % 3], ratePerHour: 4000 + Math.floor(random() * 3000), setupMinutes: 20, gateHours: 24 },
      { group: 'kit', ratePerHour: 9000 + Math.floor(random() * 3000), setupMinutes: 10, gateHours: 0 },
    ],
  }));
  const machinesOf = new Map(pouchGroups.concat('kit').map((group) => [group, machines.filter((m) => m.group === group).map((m) => m.key)]));
  const queueLength = new Map<string, number>();
  const workOrders: PlanWorkOrder[] = [];
  for (let index = 0; index < 1000; index++) {
    const product = products[Math.floor(random() * products.length)];
    const quantity = Math.round((20_000 + random() * 80_000) / 1000) * 1000;
    const queued = random() < 2 / 3;
    const operations = product.routing.map((routingStep, step) => {
      if (!queued) return { step, machine: null, position: null, produced: 0, state: 'parked' as const };
      const choices = machinesOf.get(routingStep.group)!;
      const machine = choices[Math.floor(random() * choices.length)];
      const position = queueLength.get(machine) ?? 0;
      queueLength.set(machine, position + 1);
      const running = position === 0 && step === 0;
      return { step, machine, position, produced: running ? Math.floor(quantity / 4) : 0, state: running ? ('running' as const) : ('queued' as const) };
    });
    workOrders.push({ lot: String(160000 + index), product: product.key, quantity, due: NOW + (5 + Math.floor(random() * 200)) * DAY, operations });
  }
  return {
    now: NOW,
    working: calendar([['06:00', '14:00'], ['14:00', '22:00']]),
    machines,
    products,
    workOrders,
    changeovers: [
      { from: '*', to: '*', minutes: 60 },
      { from: 'covid', to: '*', minutes: 150 },
      { group: 'kit', from: '*', to: '*', minutes: 15 },
    ],
  };
}

function describe(kpis: PlanKpis): string {
  const lastEnd = kpis.lastEnd === null ? '—' : DateTime.fromMillis(kpis.lastEnd, { zone: ZONE }).toFormat('yyyy-LL-dd HH:mm');
  return `tardiness ${kpis.totalTardinessHours.toFixed(1)} h (${kpis.lateWorkOrders} late), changeovers ${kpis.changeoverHours.toFixed(1)} h, last end ${lastEnd}`;
}

export default async function optimizerBench(): Promise<Figure[]> {
  const figures: Figure[] = [];
  // 1. 40 parked lots: three generated instances, 5 s each
  const ratios: number[] = [];
  const changeoverRatios: number[] = [];
  for (const seed of [1, 2, 3]) {
    const input = pouchersInput(seed);
    const dispatch = earliestDueDateDispatch(input);
    const suggestion = optimize(input, { seed: 1, timeLimitMs: 5_000 });
    const ratio = dispatch.kpis.totalTardinessHours === 0 ? 0 : suggestion.kpis.totalTardinessHours / dispatch.kpis.totalTardinessHours;
    ratios.push(ratio);
    process.stderr.write(
      `optimizer: 40 lots, instance ${seed}: EDD dispatch ${describe(dispatch.kpis)}\n` +
        `           suggestion after ${(suggestion.elapsedMs / 1000).toFixed(1)} s, ${suggestion.iterations} iterations: ${describe(suggestion.kpis)}\n`,
    );
    changeoverRatios.push(suggestion.kpis.changeoverHours / dispatch.kpis.changeoverHours);
  }
  figures.push({ name: 'optimiser 40 lots: tardiness suggestion / EDD, worst of 3 (5 s)', value: Math.max(...ratios), unit: 'x', target: 0.5 });
  figures.push({ name: 'optimiser 40 lots: changeover hours suggestion / EDD, worst of 3', value: Math.max(...changeoverRatios), unit: 'x', target: 1 });

  // 2. the full plant: time to a first suggestion, KPIs after 10 s
  const plant = plantInput();
  const first = optimize(plant, { seed: 1, timeLimitMs: 1, iterations: 0 });
  process.stderr.write(`optimizer: plant, as planned: ${describe(first.currentKpis)}\n           first suggestion in ${first.elapsedMs.toFixed(0)} ms: ${describe(first.kpis)}\n`);
  figures.push({ name: 'optimiser plant 1000 WO x 2 steps, 19 machines: first suggestion', value: first.elapsedMs, unit: 'ms', target: 1000 });
  const long = optimize(plant, { seed: 1, timeLimitMs: 10_000 });
  process.stderr.write(`           after ${(long.elapsedMs / 1000).toFixed(1)} s, ${long.iterations} iterations: ${describe(long.kpis)}\n`);
  // the search never returns worse than its start (lexicographic): tardiness, then changeover hours
  figures.push({ name: 'optimiser plant: tardiness h after 10 s (first suggestion ' + first.kpis.totalTardinessHours.toFixed(1) + ')', value: long.kpis.totalTardinessHours, unit: 'h', target: first.kpis.totalTardinessHours + 0.001 });
  figures.push({ name: 'optimiser plant: changeover h after 10 s / first suggestion', value: long.kpis.changeoverHours / first.kpis.changeoverHours, unit: 'x', target: 1.0001 });

  // 3. capable-to-promise on the full plant (both answers: appended, and re-sequenced without harm)
  const ctp = await sample(() => capableToPromise(plant, { product: 'P3', quantity: 60_000 }), 10, 2);
  const answer = capableToPromise(plant, { product: 'P3', quantity: 60_000 });
  const when = (end: number | null) => (end === null ? '—' : DateTime.fromMillis(end, { zone: ZONE }).toFormat('ccc yyyy-LL-dd HH:mm'));
  process.stderr.write(`optimizer: capable-to-promise 60 000 × P3: as planned ${when(answer.untouched.end)}, re-sequenced ${when(answer.resequenced.end)} (${answer.resequenced.delayedWorkOrders} orders later, none past its due date)\n`);
  figures.push({ name: 'capable-to-promise, full plant (median of 10)', value: ctp.median, unit: 'ms', target: 100 });
  return figures;
}
