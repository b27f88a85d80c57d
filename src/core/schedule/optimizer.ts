// The plan optimiser (issue 15, DESIGN.md §3): suggests machines for parked operations and new
// sequences for unfrozen queued ones, minimising in this order total tardiness, changeover hours and
// the last finish. Every candidate is scheduled by the scheduler's own ScheduleModel, so calendars,
// dependent steps, gates and changeovers are exactly the board's.
//
// Search: an earliest-due-date construction (each operation appended where it finishes earliest),
// then simulated annealing over relocate / swap / join-the-family / pull-a-late-order-forward moves,
// with restarts from the best plan found. Deterministic for a seed and an iteration budget.
import { placementOnQueue, ScheduleModel, type MachineQueue, type ScheduleNode } from './scheduler.js';
import { frozenQueues } from './frozen.js';
import type { PlanInput, PlanResult } from './types.js';
import { mulberry32 } from '../random.js';
import { MS_PER_HOUR } from '../time.js';

export interface PlanKpis {
  /** sum over work orders of hours past due (a work order's end is its last step's end) */
  totalTardinessHours: number;
  lateWorkOrders: number;
  changeoverHours: number;
  /** the last planned end; null when nothing is planned */
  lastEnd: number | null;
  /** operations left without a forecast (parked, held, beyond the horizon …); a work order's tardiness counts its planned steps only */
  unplannedOperations: number;
}

export interface OptimizeOptions {
  /** seed of the search's random stream (default 1) */
  seed?: number;
  /** wall-clock budget in ms (default 5000, or none when an iteration budget is given) */
  timeLimitMs?: number;
  /** iteration budget; when it ends the search before the time limit, the result depends only on input, seed and budget */
  iterations?: number;
  /** queued operations starting within this many hours of now keep machine and order (default 0) */
  frozenHours?: number;
  /** each already-queued operation moved to another machine or place costs as much as an hour of tardiness */
  nonDisruptive?: boolean;
  /** called now and then with the search's progress (0..1) and the best KPIs so far */
  onProgress?: (progress: number, best: PlanKpis) => void;
}

/** One operation's place in the suggestion against the plan as it was. */
export interface OperationMove {
  lot: string;
  step: number;
  fromMachine: string | null;
  fromPosition: number | null;
  toMachine: string;
  toPosition: number;
}

export interface OptimizeResult {
  /** the suggested plan */
  result: PlanResult;
  kpis: PlanKpis;
  /** every machine's suggested queue, in order (operations the scheduler plans; held ones are not in it) */
  queues: Record<string, { lot: string; step: number }[]>;
  /** operations whose machine or place in the queue differs from the plan as it was */
  moves: OperationMove[];
  /** the plan as the planner left it (parked operations unplanned) */
  current: PlanResult;
  currentKpis: PlanKpis;
  /** the earliest-due-date construction the search started from */
  constructedKpis: PlanKpis;
  /**
   * the plan as the planner left it with the parked operations loaded at the end of the machine where
   * each finishes earliest: a fair "before" when the suggestion plans parked work (the plan as it is
   * counts no lateness for what has no forecast)
   */
  appendedKpis: PlanKpis;
  iterations: number;
  /** the search stopped early because the plan met a lower bound (nothing better exists) */
  provedOptimal: boolean;
  elapsedMs: number;
}

export const DEFAULT_TIME_LIMIT_MS = 5_000;

/** The plan's KPIs as the last model.run() left them. */
export function kpisOf(model: ScheduleModel): PlanKpis {
  let tardinessMs = 0;
  let lateWorkOrders = 0;
  let changeoverMs = 0;
  let lastEnd: number | null = null;
  let workOrderEnd: number | null = null;
  let unplannedOperations = 0;
  for (const node of model.nodes) {
    if (node.step === 0) workOrderEnd = null;
    if (node.status === 'unplanned') unplannedOperations += 1;
    if (node.end !== null && node.status !== 'done' && (lastEnd === null || node.end > lastEnd)) lastEnd = node.end;
    changeoverMs += node.changeoverMs;
    if (node.end !== null) workOrderEnd = workOrderEnd === null ? node.end : Math.max(workOrderEnd, node.end);
    if (node.successor === null) {
      const due = node.workOrder.due;
      if (due !== null && workOrderEnd !== null && workOrderEnd > due) {
        tardinessMs += workOrderEnd - due;
        lateWorkOrders += 1;
      }
    }
  }
  return { totalTardinessHours: tardinessMs / MS_PER_HOUR, lateWorkOrders, changeoverHours: changeoverMs / MS_PER_HOUR, lastEnd, unplannedOperations };
}

/** Lexicographic objective: unplanned operations, tardiness (+ disruption), changeover hours, last end. */
interface Score {
  unplanned: number;
  tardinessHours: number;
  changeoverHours: number;
  lastEndHours: number;
}

function compareScores(a: Score, b: Score): number {
  const EPSILON = 1e-9;
  for (const key of ['unplanned', 'tardinessHours', 'changeoverHours', 'lastEndHours'] as const) {
    const difference = a[key] - b[key];
    if (Math.abs(difference) > EPSILON) return difference;
  }
  return 0;
}

/** One number for the annealing's acceptance test; the weights keep the levels' order for any sensible plant. */
function scalar(score: Score): number {
  return score.unplanned * 1e7 + score.tardinessHours * 1e3 + score.changeoverHours + score.lastEndHours * 1e-3;
}

/**
 * The search state: for every machine the frozen head (running operations and those starting within
 * the frozen horizon) and the tail the search may rearrange; pinned operations in a tail keep their
 * order among themselves because moves only ever pick movable operations.
 */
class Search {
  readonly model: ScheduleModel;
  readonly heads = new Map<string, ScheduleNode[]>();
  readonly tails = new Map<string, ScheduleNode[]>();
  /** movable operations, in model order (deterministic) */
  readonly movable: ScheduleNode[] = [];
  readonly machinesByGroup = new Map<string, MachineQueue[]>();
  /** movable operations by process group and family, for the join-the-family move */
  private readonly movableByGroupFamily = new Map<string, ScheduleNode[]>();
  /** the queue a node was in, and the node before it among the queued ones, before the search */
  private readonly original = new Map<ScheduleNode, { machine: string; previous: ScheduleNode | null }>();
  private readonly originHours: number;

  constructor(
    model: ScheduleModel,
    frozenHours: number,
    private readonly nonDisruptive: boolean,
  ) {
    this.model = model;
    this.originHours = model.now / MS_PER_HOUR;
    for (const queue of model.queues.values()) {
      const list = this.machinesByGroup.get(queue.group);
      if (list) list.push(queue);
      else this.machinesByGroup.set(queue.group, [queue]);
    }
    // the plan as it stands decides which queued operations fall in the frozen horizon
    model.run();
    for (const queue of frozenQueues(model, frozenHours)) {
      let previous: ScheduleNode | null = null;
      for (const node of queue.head.concat(queue.tail)) {
        this.original.set(node, { machine: queue.machine, previous });
        previous = node;
      }
      const fixed = new Set(queue.fixed);
      for (const node of queue.tail) if (!fixed.has(node)) this.movable.push(node);
      this.heads.set(queue.machine, queue.head);
      this.tails.set(queue.machine, queue.tail);
    }
    // parked operations with a machine of their group join the search (they are appended by the construction)
    for (const node of model.nodes) {
      if (node.initial === 'parked' && this.machinesByGroup.has(node.routingStep.group)) this.movable.push(node);
    }
    const rank = new Map(model.nodes.map((node, index) => [node, index]));
    this.movable.sort((a, b) => rank.get(a)! - rank.get(b)!);
    for (const node of this.movable) {
      const key = `${node.routingStep.group}\u0000${node.family}`;
      const list = this.movableByGroupFamily.get(key);
      if (list) list.push(node);
      else this.movableByGroupFamily.set(key, [node]);
    }
  }

  apply(): void {
    const order = new Map<string, ScheduleNode[]>();
    for (const [machine, head] of this.heads) order.set(machine, head.concat(this.tails.get(machine)!));
    this.model.assignQueues(order);
  }

  evaluate(): Score {
    this.apply();
    this.model.run();
    const kpis = kpisOf(this.model);
    this.collectLate();
    let disruption = 0;
    if (this.nonDisruptive) {
      for (const queue of this.model.queues.values()) {
        let previousQueued: ScheduleNode | null = null;
        for (const node of queue.nodes) {
          const before = this.original.get(node);
          if (before === undefined) continue; // was parked: placing it is not a disruption
          if (before.machine !== queue.key || before.previous !== previousQueued) disruption += 1;
          previousQueued = node;
        }
      }
    }
    return {
      unplanned: kpis.unplannedOperations,
      tardinessHours: kpis.totalTardinessHours + disruption,
      changeoverHours: kpis.changeoverHours,
      lastEndHours: kpis.lastEnd === null ? 0 : kpis.lastEnd / MS_PER_HOUR - this.originHours,
    };
  }

  /** movable operations of the work orders the last evaluation found late: where tardiness can be won */
  late: ScheduleNode[] = [];
  private movableSet: Set<ScheduleNode> | null = null;

  private collectLate(): void {
    this.movableSet ??= new Set(this.movable);
    this.late = [];
    let first = 0;
    const nodes = this.model.nodes;
    for (let index = 0; index < nodes.length; index++) {
      const node = nodes[index];
      if (node.step === 0) first = index;
      if (node.successor !== null) continue;
      const due = node.workOrder.due;
      if (due === null) continue;
      let end = -Infinity;
      for (let step = first; step <= index; step++) end = Math.max(end, nodes[step].end ?? -Infinity);
      if (end <= due) continue;
      for (let step = first; step <= index; step++) if (this.movableSet.has(nodes[step])) this.late.push(nodes[step]);
    }
  }

  snapshot(): Map<string, ScheduleNode[]> {
    const copy = new Map<string, ScheduleNode[]>();
    for (const [machine, tail] of this.tails) copy.set(machine, [...tail]);
    return copy;
  }

  restore(tails: Map<string, ScheduleNode[]>): void {
    for (const [machine, tail] of tails) this.tails.set(machine, [...tail]);
  }

  /** Where a node sits now: machine and index in that machine's tail (-1 when not placed). */
  locate(node: ScheduleNode): { machine: string; index: number } | null {
    for (const [machine, tail] of this.tails) {
      const index = tail.indexOf(node);
      if (index >= 0) return { machine, index };
    }
    return null;
  }

  sameFamily(node: ScheduleNode): ScheduleNode[] {
    return this.movableByGroupFamily.get(`${node.routingStep.group}\u0000${node.family}`) ?? [];
  }

  /**
   * Earliest-due-date construction: operations in order of their work order's due date (no due date
   * last), each appended to the machine of its group where it finishes earliest, with the changeover
   * that placement costs. `appendParked` keeps the queued operations where they are and places only
   * the parked ones; `rebuild` takes every movable operation out first and places them all.
   */
  construct(mode: 'appendParked' | 'rebuild'): void {
    const { model } = this;
    let parked = this.movable.filter((node) => node.initial === 'parked');
    if (mode === 'rebuild') {
      const movable = new Set(this.movable);
      for (const [machine, tail] of this.tails) this.tails.set(machine, tail.filter((node) => !movable.has(node)));
      parked = [...this.movable];
    }
    const rank = new Map(model.nodes.map((node, index) => [node, index]));
    parked.sort((a, b) => (a.workOrder.due ?? Infinity) - (b.workOrder.due ?? Infinity) || rank.get(a)! - rank.get(b)!);
    // Appending never changes what is already on a machine, so each placement is computed locally from
    // the machine's end and family (one full run afterwards settles the exact times).
    this.apply();
    model.run();
    const machineEnd = new Map<string, { freeAt: number; family: string | null }>();
    for (const queue of model.queues.values()) {
      let freeAt = model.now;
      let family = queue.initialFamily;
      for (const node of queue.nodes) {
        if (node.end === null) continue;
        freeAt = Math.max(freeAt, node.end);
        family = node.family;
      }
      machineEnd.set(queue.key, { freeAt, family });
    }
    const endOf = new Map<ScheduleNode, number | null>();
    for (const node of parked) {
      const predecessor = node.predecessor;
      const predecessorEnd = predecessor === null ? null : endOf.has(predecessor) ? endOf.get(predecessor)! : predecessor.end;
      const predecessorReady = predecessor === null || predecessorEnd === null ? model.now : predecessorEnd + predecessor.routingStep.gateHours * MS_PER_HOUR;
      let best: { machine: string; end: number; changeoverMs: number } | null = null;
      for (const queue of this.machinesByGroup.get(node.routingStep.group)!) {
        const state = machineEnd.get(queue.key)!;
        const placement = placementOnQueue(queue, node, model.matrix, Math.max(state.freeAt, predecessorReady), state.family);
        const end = placement?.end ?? Infinity;
        const changeoverMs = placement?.changeoverMs ?? Infinity;
        if (best === null || end < best.end || (end === best.end && changeoverMs < best.changeoverMs)) {
          best = { machine: queue.key, end, changeoverMs };
        }
      }
      this.tails.get(best!.machine)!.push(node);
      endOf.set(node, Number.isFinite(best!.end) ? best!.end : null);
      if (Number.isFinite(best!.end)) machineEnd.set(best!.machine, { freeAt: best!.end, family: node.family });
    }
  }
}

/** Dispatch by earliest due date, as a planner would by hand; the optimiser's starting point and the bench's baseline. */
export function earliestDueDateDispatch(input: PlanInput): { result: PlanResult; kpis: PlanKpis } {
  const search = new Search(new ScheduleModel(input), 0, false);
  search.construct('rebuild');
  search.evaluate();
  return { result: search.model.result(), kpis: kpisOf(search.model) };
}

export function optimize(input: PlanInput, options: OptimizeOptions = {}): OptimizeResult {
  const steps = optimizeInSlices(input, options);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/** How long the search runs before it gives the event loop a turn (optimizeInTurns). */
export const SEARCH_SLICE_MS = 20;

/**
 * The same search as optimize(), handing the event loop a turn every SEARCH_SLICE_MS: a server asked
 * for a suggestion keeps answering health checks, live streams and other planners meanwhile. The
 * result is the same as optimize()'s for the same input, seed and iteration budget.
 */
export async function optimizeInTurns(input: PlanInput, options: OptimizeOptions = {}): Promise<OptimizeResult> {
  const steps = optimizeInSlices(input, options);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** The search as a generator that yields between slices of work (nothing else changes at a yield). */
function* optimizeInSlices(input: PlanInput, options: OptimizeOptions): Generator<void, OptimizeResult, void> {
  const started = performance.now();
  let sliceStarted = started;
  const sliceOver = (): boolean => performance.now() - sliceStarted >= SEARCH_SLICE_MS;
  const timeLimitMs = options.timeLimitMs ?? (options.iterations !== undefined ? Infinity : DEFAULT_TIME_LIMIT_MS);
  if (!(timeLimitMs > 0)) throw new RangeError(`time limit must be > 0 ms, got ${timeLimitMs}`);
  const iterationBudget = options.iterations ?? Infinity;
  if (!(iterationBudget >= 0)) throw new RangeError(`iterations must be >= 0, got ${options.iterations}`);
  const frozenHours = options.frozenHours ?? 0;
  if (!(frozenHours >= 0)) throw new RangeError(`frozenHours must be >= 0, got ${options.frozenHours}`);
  const random = mulberry32(options.seed ?? 1);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];

  const model = new ScheduleModel(input);
  const search = new Search(model, frozenHours, options.nonDisruptive ?? false);
  // Search ran the plan as it stands: that is "current"
  const current = model.result();
  const currentKpis = kpisOf(model);
  const before = new Map(model.nodes.map((node) => [node, placeOf(node)]));

  // two starts: the planner's queues with the parked operations added, and a plan rebuilt by due
  // date (unless moving queued operations is penalised); the search goes on from the better one
  const asPlanned = search.snapshot();
  search.construct('appendParked');
  let score = search.evaluate();
  let constructedKpis = kpisOf(model);
  const appendedKpis = constructedKpis;
  yield;
  sliceStarted = performance.now();
  if (!options.nonDisruptive) {
    const appended = search.snapshot();
    search.restore(asPlanned);
    search.construct('rebuild');
    const rebuilt = search.evaluate();
    if (compareScores(rebuilt, score) < 0) {
      score = rebuilt;
      constructedKpis = kpisOf(model);
    } else {
      search.restore(appended);
      search.evaluate();
    }
  }
  let best = { score, tails: search.snapshot() };
  const lowerBound = lowerBoundScore(search);
  yield;
  sliceStarted = performance.now();

  const movable = search.movable;
  let iterations = 0;
  let provedOptimal = movable.length === 0 || compareScores(score, lowerBound) <= 0;
  const elapsed = (): number => performance.now() - started;

  if (!provedOptimal && movable.length > 0) {
    // the starting temperature: the typical cost of a worsening move from the constructed plan
    const startTemperature = initialTemperature(search, score, random, pick, { iterations: iterationBudget, timeLimitMs });
    let sinceImprovement = 0;
    const restartAfter = Math.max(200, Math.min(2_000, movable.length * 20));
    while (iterations < iterationBudget) {
      if ((iterations & 15) === 0) {
        if (elapsed() >= timeLimitMs) break;
        if (sliceOver()) {
          yield;
          sliceStarted = performance.now();
        }
      }
      const progress = Number.isFinite(iterationBudget) ? iterations / iterationBudget : Math.min(1, elapsed() / timeLimitMs);
      // geometric cooling to a ten-thousandth of the start over the budget
      const temperature = startTemperature * Math.pow(1e-4, progress);
      iterations += 1;
      const undo = search.snapshot();
      if (!randomMove(search, random, pick)) continue;
      const candidate = search.evaluate();
      const delta = scalar(candidate) - scalar(score);
      if (delta <= 0 || random() < Math.exp(-delta / temperature)) {
        score = candidate;
        if (compareScores(score, best.score) < 0) {
          best = { score, tails: search.snapshot() };
          sinceImprovement = 0;
          if (compareScores(score, lowerBound) <= 0) {
            provedOptimal = true;
            break;
          }
        }
      } else {
        search.restore(undo);
      }
      sinceImprovement += 1;
      if (sinceImprovement >= restartAfter) {
        search.restore(best.tails);
        score = best.score;
        sinceImprovement = 0;
      }
      if (options.onProgress && (iterations & 255) === 0) {
        options.onProgress(progress, kpisOfTails(search, best.tails));
      }
    }
  }

  search.restore(best.tails);
  search.evaluate();
  const result = model.result();
  const kpis = kpisOf(model);
  const queues: OptimizeResult['queues'] = {};
  const moves: OperationMove[] = [];
  for (const queue of model.queues.values()) {
    queues[queue.key] = queue.nodes.map((node) => ({ lot: node.workOrder.lot, step: node.step }));
    queue.nodes.forEach((node, position) => {
      const was = before.get(node)!;
      if (was.machine !== queue.key || was.position !== position) {
        moves.push({ lot: node.workOrder.lot, step: node.step, fromMachine: was.machine, fromPosition: was.position, toMachine: queue.key, toPosition: position });
      }
    });
  }
  options.onProgress?.(1, kpis);
  return { result, kpis, queues, moves, current, currentKpis, constructedKpis, appendedKpis, iterations, provedOptimal, elapsedMs: elapsed() };
}

function placeOf(node: ScheduleNode): { machine: string | null; position: number | null } {
  if (node.queue === null) return { machine: null, position: null };
  return { machine: node.queue.key, position: node.queue.nodes.indexOf(node) };
}

/**
 * The start temperature: an average worsening move from the start is accepted with probability ~1/e
 * when the budget allows some 50 iterations per movable operation; with less (a whole plant in a few
 * seconds) the search starts colder, down to a twentieth, so that it refines the good start instead
 * of wandering away from it.
 */
function initialTemperature(
  search: Search,
  score: Score,
  random: () => number,
  pick: <T>(list: readonly T[]) => T,
  budget: { iterations: number; timeLimitMs: number },
): number {
  const sampleStarted = performance.now();
  const base = scalar(score);
  let worsening = 0;
  let count = 0;
  const start = search.snapshot();
  for (let sample = 0; sample < 20; sample++) {
    if (!randomMove(search, random, pick)) continue;
    const delta = scalar(search.evaluate()) - base;
    if (delta > 0) {
      worsening += delta;
      count += 1;
    }
    search.restore(start);
  }
  search.evaluate();
  const perIterationMs = (performance.now() - sampleStarted) / 21;
  // an iteration budget alone decides (so a seed and a budget give one plan on any machine)
  const expectedIterations = Number.isFinite(budget.iterations) ? budget.iterations : budget.timeLimitMs / Math.max(perIterationMs, 1e-3);
  const warmth = Math.min(1, Math.max(0.05, expectedIterations / (search.movable.length * 50)));
  return count === 0 ? 1 : (worsening / count) * warmth;
}

function kpisOfTails(search: Search, tails: Map<string, ScheduleNode[]>): PlanKpis {
  const keep = search.snapshot();
  search.restore(tails);
  search.evaluate();
  const kpis = kpisOf(search.model);
  search.restore(keep);
  return kpis;
}

/** One random neighbourhood move on the tails; false when the move changed nothing. */
function randomMove(search: Search, random: () => number, pick: <T>(list: readonly T[]) => T): boolean {
  // a third of the moves work on a late order, where the first objective can be won
  const node = search.late.length > 0 && random() < 1 / 3 ? pick(search.late) : pick(search.movable);
  const at = search.locate(node);
  if (at === null) return false;
  const tails = search.tails;
  const draw = random();
  if (draw < 0.35) {
    // relocate to a random place on a random machine of its group
    const target = pick(search.machinesByGroup.get(node.routingStep.group)!).key;
    tails.get(at.machine)!.splice(at.index, 1);
    const tail = tails.get(target)!;
    const index = Math.floor(random() * (tail.length + 1));
    tail.splice(index, 0, node);
    return !(target === at.machine && index === at.index);
  }
  if (draw < 0.6) {
    // swap with another movable operation of the same group
    const candidates = search.movable.filter((other) => other !== node && other.routingStep.group === node.routingStep.group);
    if (candidates.length === 0) return false;
    const other = pick(candidates);
    const otherAt = search.locate(other);
    if (otherAt === null) return false;
    tails.get(at.machine)![at.index] = other;
    tails.get(otherAt.machine)![otherAt.index] = node;
    return true;
  }
  if (draw < 0.85) {
    // join another operation of the same family (saves a changeover), just before or after it
    const family = search.sameFamily(node).filter((other) => other !== node);
    if (family.length === 0) return false;
    const other = pick(family);
    tails.get(at.machine)!.splice(at.index, 1);
    const otherAt = search.locate(other);
    if (otherAt === null) {
      tails.get(at.machine)!.splice(at.index, 0, node);
      return false;
    }
    tails.get(otherAt.machine)!.splice(otherAt.index + (random() < 0.5 ? 0 : 1), 0, node);
    return true;
  }
  // pull forward within its queue (late orders benefit most; a random one keeps the move unbiased)
  if (at.index === 0) return false;
  const tail = tails.get(at.machine)!;
  tail.splice(at.index, 1);
  tail.splice(Math.floor(random() * at.index), 0, node);
  return true;
}

/**
 * A score nothing can beat: no unplanned operations beyond those that cannot be planned at all, no
 * tardiness, no changeover, and every work order ending when it would alone on the plant (the
 * critical path of its steps from now, without waiting for any machine).
 */
function lowerBoundScore(search: Search): Score {
  const model = search.model;
  // the constructed plan's unplanned count cannot go below those the search cannot touch (held, no machine of the group …)
  let unplannable = 0;
  let lastEnd = model.now;
  const movable = new Set(search.movable);
  for (const node of model.nodes) {
    if (node.initial === 'held') unplannable += 1;
    else if (node.initial === 'parked' && !movable.has(node)) unplannable += 1;
  }
  for (const node of model.nodes) {
    if (node.successor !== null || node.initial === 'done') continue;
    // walk the chain from its first unfinished step
    const chain: ScheduleNode[] = [];
    for (let cursor: ScheduleNode | null = node; cursor !== null; cursor = cursor.predecessor) chain.unshift(cursor);
    let readyAt = model.now;
    let feasible = true;
    for (const step of chain) {
      if (step.initial === 'done') {
        if (step.end !== null) readyAt = Math.max(readyAt, step.end + step.routingStep.gateHours * MS_PER_HOUR);
        continue;
      }
      if (step.initial === 'held' || (step.initial === 'parked' && !movable.has(step))) {
        feasible = false;
        break;
      }
      // the site's working time: a machine's own downtime only delays, so the bound stays a bound
      const start = step.baseDurationMs === 0 ? readyAt : model.timeline.firstWorkingInstant(readyAt);
      const end = start === null ? null : model.timeline.addWorkingTime(start, step.baseDurationMs);
      if (end === null) {
        feasible = false;
        break;
      }
      readyAt = end + step.routingStep.gateHours * MS_PER_HOUR;
      lastEnd = Math.max(lastEnd, end);
    }
    if (!feasible) continue;
  }
  return { unplanned: unplannable, tardinessHours: 0, changeoverHours: 0, lastEndHours: lastEnd / MS_PER_HOUR - model.now / MS_PER_HOUR };
}
