import { describe, expect, it } from 'vitest';
import { earliestDueDateDispatch, optimize, optimizeInTurns } from './optimizer.js';
import { plan, ScheduleModel } from './scheduler.js';
import type { ChangeoverRule, PlanInput, PlanProduct, PlanResult, PlanWorkOrder } from './types.js';
import { calendarSource, local, op, step, workOrder } from './test-helpers.js';
import { mulberry32 } from '../random.js';
import { MS_PER_HOUR } from '../time.js';

const NOW = local('2026-11-23T06:30'); // Monday, first shift
const MACHINES = [
  { key: 'pouch1', group: 'pouch' },
  { key: 'pouch2', group: 'pouch' },
  { key: 'kit1', group: 'kit' },
];
const CHANGEOVERS: ChangeoverRule[] = [
  { from: '*', to: '*', minutes: 60 },
  { from: 'flu', to: 'strep', minutes: 120 },
  { from: 'covid', to: '*', minutes: 180 },
];
const PRODUCTS: PlanProduct[] = [
  { key: 'flu-a', family: 'flu', routing: [step('pouch', 5000, 15)] },
  { key: 'flu-b', family: 'flu', routing: [step('pouch', 4000, 15)] },
  { key: 'strep', routing: [step('pouch', 6000, 15)] },
  { key: 'covid', routing: [step('pouch', 5000, 30)] },
  /** pouching, a 4 h QC gate, then kitting */
  { key: 'kit-flu', family: 'flu', routing: [step('pouch', 5000, 15, 4), step('kit', 8000, 0)] },
];

function input(workOrders: PlanWorkOrder[], overrides: Partial<PlanInput> = {}): PlanInput {
  return { now: NOW, working: calendarSource(), machines: MACHINES, products: PRODUCTS, changeovers: CHANGEOVERS, workOrders, ...overrides };
}

/** Lexicographic score read straight from a plan's operations: tardiness hours, changeover hours, last end. */
function scoreOf(result: PlanResult, workOrders: PlanWorkOrder[]): [number, number, number] {
  let tardiness = 0;
  let changeover = 0;
  let lastEnd = 0;
  for (const workOrder of workOrders) {
    const operations = result.operations.filter((operation) => operation.lot === workOrder.lot);
    const end = Math.max(...operations.map((operation) => operation.end ?? Infinity));
    if (workOrder.due !== null && end > workOrder.due) tardiness += (end - workOrder.due) / MS_PER_HOUR;
    for (const operation of operations) {
      changeover += operation.changeoverMinutes / 60;
      lastEnd = Math.max(lastEnd, operation.end ?? Infinity);
    }
  }
  return [tardiness, changeover, (lastEnd - NOW) / MS_PER_HOUR];
}

function lexLess(a: readonly number[], b: readonly number[]): boolean {
  for (let index = 0; index < a.length; index++) {
    if (Math.abs(a[index] - b[index]) > 1e-6) return a[index] < b[index];
  }
  return false;
}

function* permutations<T>(items: T[]): Generator<T[]> {
  if (items.length <= 1) {
    yield [...items];
    return;
  }
  for (let index = 0; index < items.length; index++) {
    const rest = [...items.slice(0, index), ...items.slice(index + 1)];
    for (const tail of permutations(rest)) yield [items[index], ...tail];
  }
}

/**
 * Every way to put single-step lots on pouch1 and pouch2 in every order, each scheduled by the
 * scheduler's model (compiled once, so 8 lots — 362 880 plans — take seconds, not minutes).
 */
function bruteForceOptimum(workOrders: PlanWorkOrder[]): [number, number, number] {
  let best: [number, number, number] = [Infinity, Infinity, Infinity];
  const model = new ScheduleModel(input(workOrders));
  const nodes = model.nodes;
  for (const order of permutations(nodes)) {
    for (let split = 0; split <= order.length; split++) {
      model.assignQueues(new Map([['pouch1', order.slice(0, split)], ['pouch2', order.slice(split)]]));
      model.run();
      const score = scoreOf(model.result(), workOrders);
      if (lexLess(score, best)) best = score;
    }
  }
  return best;
}

/** A small random instance: parked single-step lots of mixed families with due dates that make some late. */
function randomInstance(seed: number, lots: number): PlanWorkOrder[] {
  const random = mulberry32(seed);
  const keys = ['flu-a', 'flu-b', 'strep', 'covid'];
  return Array.from({ length: lots }, (_, index) => {
    const product = keys[Math.floor(random() * keys.length)];
    const quantity = 20_000 + Math.floor(random() * 8) * 10_000;
    // due within the first three working days, so a good order matters
    const dueHours = 4 + Math.floor(random() * 40);
    return workOrder(`L${index + 1}`, product, quantity, [], { due: NOW + dueHours * MS_PER_HOUR });
  });
}

describe('optimize: the optimum on small instances', () => {
  for (const [seed, lots] of [
    [11, 5],
    [12, 6],
    [13, 6],
    [14, 6],
    [15, 8],
  ] as const) {
    it(`finds the brute-force optimum (seed ${seed}, ${lots} parked lots, 2 machines)`, () => {
      const workOrders = randomInstance(seed, lots);
      const optimum = bruteForceOptimum(workOrders);
      const suggestion = optimize(input(workOrders), { seed: 1, iterations: 4000, timeLimitMs: 60_000 });
      const score = scoreOf(suggestion.result, workOrders);
      expect(score[0]).toBeCloseTo(optimum[0], 6);
      expect(score[1]).toBeCloseTo(optimum[1], 6);
      expect(score[2]).toBeCloseTo(optimum[2], 6);
      // the KPIs it reports are those of the plan it returns
      expect(suggestion.kpis.totalTardinessHours).toBeCloseTo(score[0], 6);
      expect(suggestion.kpis.changeoverHours).toBeCloseTo(score[1], 6);
    });
  }

  it('is never worse than earliest-due-date dispatch and reports the dispatch it started from', () => {
    const workOrders = randomInstance(21, 8);
    const dispatch = earliestDueDateDispatch(input(workOrders));
    const suggestion = optimize(input(workOrders), { seed: 3, iterations: 2000, timeLimitMs: 60_000 });
    expect(suggestion.constructedKpis).toEqual(dispatch.kpis);
    // with everything parked, loading the parked lots at the end is the same dispatch
    expect(suggestion.appendedKpis).toEqual(dispatch.kpis);
    const [tardiness, changeover] = scoreOf(suggestion.result, workOrders);
    expect(tardiness <= dispatch.kpis.totalTardinessHours + 1e-9).toBe(true);
    if (Math.abs(tardiness - dispatch.kpis.totalTardinessHours) < 1e-9) expect(changeover <= dispatch.kpis.changeoverHours + 1e-9).toBe(true);
    // every parked lot got a machine of its group
    for (const operation of suggestion.result.operations) expect(operation.machine).toMatch(/^pouch[12]$/);
  });
});

describe('optimize: what it must not touch', () => {
  /** queued lots in a deliberately bad order: strep between two flu lots, a covid first */
  function queuedPlant(extra: Partial<Record<string, object>> = {}): PlanWorkOrder[] {
    const lot = (name: string, product: string, machine: string, position: number, dueHours: number) =>
      workOrder(name, product, 30_000, [op(0, machine, position, { state: position === 0 && name === 'R' ? 'running' : 'queued', produced: name === 'R' ? 5_000 : 0, ...(extra[name] ?? {}) })], {
        due: NOW + dueHours * MS_PER_HOUR,
      });
    return [
      lot('R', 'covid', 'pouch1', 0, 30),
      lot('A', 'flu-a', 'pouch1', 1, 60),
      lot('B', 'strep', 'pouch1', 2, 12),
      lot('C', 'flu-b', 'pouch1', 3, 70),
      lot('D', 'strep', 'pouch2', 0, 80),
      lot('E', 'flu-a', 'pouch2', 1, 14),
      lot('F', 'covid', 'pouch2', 2, 90),
      workOrder('P1', 'flu-a', 25_000, [], { due: NOW + 20 * MS_PER_HOUR }),
      workOrder('P2', 'strep', 25_000, [], { due: NOW + 40 * MS_PER_HOUR }),
    ];
  }
  const queueOf = (queues: Record<string, { lot: string; step: number }[]>, machine: string) => queues[machine].map((entry) => entry.lot);

  it('keeps the running operation first on its machine and moves the others', () => {
    const suggestion = optimize(input(queuedPlant()), { seed: 5, iterations: 1500, timeLimitMs: 60_000 });
    expect(queueOf(suggestion.queues, 'pouch1')[0]).toBe('R');
    expect(suggestion.moves.length).toBeGreaterThan(0);
    expect(suggestion.moves.some((move) => move.lot === 'R')).toBe(false);
    expect(suggestion.kpis.totalTardinessHours <= suggestion.currentKpis.totalTardinessHours).toBe(true);
  });

  it('never moves a pinned operation off its machine nor out of order among the pinned', () => {
    const pinned = { A: { pinned: true }, C: { pinned: true }, E: { pinned: true } };
    for (const seed of [1, 2, 3, 4]) {
      const suggestion = optimize(input(queuedPlant(pinned)), { seed, iterations: 800, timeLimitMs: 60_000 });
      const pouch1 = queueOf(suggestion.queues, 'pouch1');
      const pouch2 = queueOf(suggestion.queues, 'pouch2');
      expect(pouch1.indexOf('A')).toBeGreaterThan(0);
      expect(pouch1.indexOf('C')).toBeGreaterThan(pouch1.indexOf('A'));
      expect(pouch2).toContain('E');
    }
  });

  it('keeps machine and order of what starts within the frozen horizon', () => {
    const workOrders = queuedPlant();
    const current = plan(input(workOrders));
    const frozenHours = 20;
    const frozen = current.operations.filter((operation) => operation.start !== null && operation.start < NOW + frozenHours * MS_PER_HOUR);
    expect(frozen.length).toBeGreaterThanOrEqual(3);
    for (const seed of [1, 2, 3]) {
      const suggestion = optimize(input(workOrders), { seed, iterations: 800, timeLimitMs: 60_000, frozenHours });
      for (const operation of frozen) {
        const queue = queueOf(suggestion.queues, operation.machine!);
        const before = queueOf(
          Object.fromEntries(['pouch1', 'pouch2'].map((machine) => [machine, current.operations.filter((o) => o.machine === machine).sort((a, b) => a.start! - b.start!)])),
          operation.machine!,
        );
        // same machine, same place in the head of the queue
        expect(queue.indexOf(operation.lot)).toBe(before.indexOf(operation.lot));
      }
    }
  });

  it('respects a predecessor step and its QC gate', () => {
    const workOrders = [
      workOrder('K1', 'kit-flu', 40_000, [], { due: NOW + 10 * MS_PER_HOUR }),
      workOrder('K2', 'kit-flu', 20_000, [], { due: NOW + 8 * MS_PER_HOUR }),
      workOrder('S1', 'strep', 30_000, [], { due: NOW + 6 * MS_PER_HOUR }),
    ];
    const suggestion = optimize(input(workOrders), { seed: 2, iterations: 1000, timeLimitMs: 60_000 });
    for (const lot of ['K1', 'K2']) {
      const pouching = suggestion.result.operations.find((operation) => operation.lot === lot && operation.step === 0)!;
      const kitting = suggestion.result.operations.find((operation) => operation.lot === lot && operation.step === 1)!;
      expect(kitting.machine).toBe('kit1');
      expect(kitting.start! >= pouching.end! + 4 * MS_PER_HOUR).toBe(true);
    }
    // and the plan it reports is exactly what the scheduler makes of its queues
    const replayed = plan(
      input(
        workOrders.map((workOrder) => ({
          ...workOrder,
          operations: Object.entries(suggestion.queues).flatMap(([machine, queue]) =>
            queue.flatMap((entry, position) => (entry.lot === workOrder.lot ? [op(entry.step, machine, position)] : [])),
          ),
        })),
      ),
    );
    expect(replayed.operations).toEqual(suggestion.result.operations);
  });

  it('gives the same plan for the same seed and iteration budget', () => {
    const workOrders = randomInstance(31, 10);
    const first = optimize(input(workOrders), { seed: 7, iterations: 600, timeLimitMs: 60_000 });
    const second = optimize(input(workOrders), { seed: 7, iterations: 600, timeLimitMs: 60_000 });
    expect(second.queues).toEqual(first.queues);
    expect(second.iterations).toBe(first.iterations);
  });

  it('gives the same plan in turns (yielding to the event loop) as in one go', async () => {
    const workOrders = randomInstance(32, 12);
    const inOneGo = optimize(input(workOrders), { seed: 9, iterations: 1500 });
    const inTurns = await optimizeInTurns(input(workOrders), { seed: 9, iterations: 1500 });
    expect(inTurns.queues).toEqual(inOneGo.queues);
    expect(inTurns.kpis).toEqual(inOneGo.kpis);
  });

  it('moves fewer queued operations in non-disruptive mode', () => {
    const workOrders = queuedPlant();
    const free = optimize(input(workOrders), { seed: 4, iterations: 1500, timeLimitMs: 60_000 });
    const gentle = optimize(input(workOrders), { seed: 4, iterations: 1500, timeLimitMs: 60_000, nonDisruptive: true });
    const queuedMoves = (moves: typeof free.moves) => moves.filter((move) => move.fromMachine !== null).length;
    expect(queuedMoves(gentle.moves)).toBeLessThan(queuedMoves(free.moves));
  });

  it('stops at once and says so when nothing can move', () => {
    const workOrders = [workOrder('R', 'flu-a', 10_000, [op(0, 'pouch1', 0, { state: 'running', produced: 10 })])];
    const suggestion = optimize(input(workOrders), { timeLimitMs: 5_000 });
    expect(suggestion.provedOptimal).toBe(true);
    expect(suggestion.iterations).toBe(0);
    expect(suggestion.moves).toEqual([]);
  });

  it('refuses a time limit <= 0', () => {
    expect(() => optimize(input([]), { timeLimitMs: 0 })).toThrow(/time limit must be > 0/);
  });
});
