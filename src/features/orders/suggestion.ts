// "Suggest a plan" on the board (issue 15 item 2): the optimiser run over the live plant, shown as a
// diff, and its acceptance — whole or per machine — as one audited change.
//
// Stateless on purpose (several instances run behind nginx): a suggestion carries everything its
// acceptance needs — the suggested queues, the basis (a fingerprint of the live queues and states it
// was computed from) and the instant and frozen horizon it was computed for. Accepting re-checks all
// of it against the live plant under the planning lock.
//
// Per-machine rule of an acceptance: accepting machine M sets M's queue to the suggested one (its
// operations are taken from the other queues or the parking lot). Operations the suggestion moves
// off M go to their suggested machine when that machine is accepted too, otherwise to the parking
// lot. Machines that are not accepted keep their order; they only lose the operations an accepted
// machine took. Held operations are not in suggested queues: they keep their places (index) in
// their queue. Positions end 0..n-1 and states as the load/park service leaves them (queueState;
// parked = no machine, no position).
import { createHash, randomUUID } from 'node:crypto';
import type { OrdersContext } from './service.js';
import { Conflict, Invalid, type FieldError } from '../../core/errors.js';
import { frozenQueues, kpisOf, operationId, optimizeInTurns, queueState, ScheduleModel, type PlanInput, type PlanKpis, type PlanResult, type ScheduleNode } from '../../core/schedule/index.js';
import { MS_PER_HOUR } from '../../core/time.js';
import { appendAudit } from '../audit/repository.js';
import type { Who } from '../audit/who.js';
import * as plantRepo from '../plant/repository.js';
import { loadPlanSnapshot, planTransaction, replan, type PlanSnapshot } from './planner.js';
import * as repo from './repository.js';
import { bump } from './service.js';
import type {
  AcceptRequest, AcceptResult, MachineDiff, MachineMove, QueueEntry, SuggestedOperation, Suggestion, SuggestionRequest,
} from './suggestion-schemas.js';

/** the orders feature's context (database, plant zone, injectable clock) */
export type SuggestionContext = OrdersContext;

type Machine = Awaited<ReturnType<typeof plantRepo.listMachines>>[number];
type Product = Awaited<ReturnType<typeof plantRepo.listProducts>>[number];

const ON_QUEUE = new Set(['queued', 'running', 'held']);

/**
 * The fingerprint of what a suggestion depends on: every open operation's state, machine and place,
 * whether it is under way, and which machines take work. Production counts are left out on purpose —
 * machine data moves them every minute and a suggestion stays valid while they grow.
 */
export function planBasis(operations: readonly repo.OperationRow[], machines: readonly Machine[]): string {
  const lines = operations
    .filter((op) => op.state !== 'done')
    .map((op) => `${op.lot}\u0000${op.step}\u0000${op.state}\u0000${op.state === 'parked' ? '' : (op.machine_key ?? '')}\u0000${op.position ?? ''}\u0000${op.produced > 0 || op.actual_start !== null ? 1 : 0}`)
    .sort();
  const enabled = machines.filter((m) => m.enabled).map((m) => m.key).sort();
  return createHash('sha256').update(lines.join('\n')).update('\n#\n').update(enabled.join('\n')).digest('hex').slice(0, 32);
}

/** The plan input the optimiser may use: disabled machines without work are left out, so nothing is suggested onto them. */
function optimiserInput(snapshot: PlanSnapshot, machines: readonly Machine[]): PlanInput {
  const used = new Set(snapshot.operations.filter((op) => op.state !== 'parked' && op.state !== 'done' && op.machine_key).map((op) => op.machine_key!));
  const allowed = new Set(machines.filter((m) => m.enabled || used.has(m.key)).map((m) => m.key));
  return { ...snapshot.input, machines: snapshot.input.machines.filter((m) => allowed.has(m.key)) };
}

/** Live queues: per machine its operations on the queue (queued, running, held) in position order. */
function liveQueues(operations: readonly repo.OperationRow[]): Map<string, repo.OperationRow[]> {
  const queues = new Map<string, repo.OperationRow[]>();
  for (const op of operations) {
    if (!ON_QUEUE.has(op.state) || !op.machine_key) continue;
    const list = queues.get(op.machine_key);
    if (list) list.push(op);
    else queues.set(op.machine_key, [op]);
  }
  for (const list of queues.values()) list.sort((a, b) => (a.position ?? Infinity) - (b.position ?? Infinity));
  return queues;
}

function kpisOfPlan(input: PlanInput): PlanKpis {
  const model = new ScheduleModel(input);
  model.run();
  return kpisOf(model);
}

/**
 * What the optimiser keeps in place, decided by the optimiser's own rule over the plan as it stands
 * at `now`: per machine the frozen head and the operations further down that may not move.
 */
function frozenOperations(input: PlanInput, frozenHours: number): { heads: Map<string, string[]>; fixed: Map<string, string[]> } {
  const model = new ScheduleModel(input);
  model.run();
  const idOf = (node: ScheduleNode) => operationId({ lot: node.workOrder.lot, step: node.step });
  const heads = new Map<string, string[]>();
  const fixed = new Map<string, string[]>();
  for (const queue of frozenQueues(model, frozenHours)) {
    heads.set(queue.machine, queue.head.map(idOf));
    fixed.set(queue.machine, queue.fixed.map(idOf));
  }
  return { heads, fixed };
}

export async function suggestPlan(ctx: SuggestionContext, request: SuggestionRequest): Promise<Suggestion> {
  const now = (ctx.now ?? Date.now)();
  const [snapshot, machines, products] = await Promise.all([loadPlanSnapshot(ctx.db, ctx.zone, now), plantRepo.listMachines(ctx.db), plantRepo.listProducts(ctx.db)]);
  const basis = planBasis(snapshot.operations, machines);
  const seed = request.seed ?? 1;
  // in turns: the instance keeps answering (health, live streams, other planners) while it searches
  const outcome = await optimizeInTurns(optimiserInput(snapshot, machines), {
    seed,
    timeLimitMs: request.timeLimitSeconds * 1000,
    iterations: request.iterations,
    frozenHours: request.frozenHours,
    nonDisruptive: request.nonDisruptive,
  });
  const describe = operationDescriber(snapshot, products);
  const plannedBefore = byOperation(outcome.current);
  const plannedAfter = byOperation(outcome.result);
  const currentQueues = new Map<string, QueueEntry[]>();
  for (const [machine, ops] of liveQueues(snapshot.operations)) currentQueues.set(machine, ops.filter((op) => op.state !== 'held').map((op) => ({ lot: op.lot, step: op.step })));

  const machineByKey = new Map(machines.map((m) => [m.key, m]));
  const diffs: MachineDiff[] = [];
  for (const machine of machines) {
    const current = currentQueues.get(machine.key) ?? [];
    const suggested = outcome.queues[machine.key] ?? [];
    if (sameQueue(current, suggested)) continue;
    diffs.push({
      machine: machine.key,
      name: machine.name,
      group: machine.group,
      current: current.map((entry) => describe(entry, plannedBefore)),
      suggested: suggested.map((entry) => describe(entry, plannedAfter)),
      moves: machineMoves(machine.key, currentQueues, outcome.queues),
    });
  }
  diffs.sort((a, b) => {
    const ma = machineByKey.get(a.machine)!;
    const mb = machineByKey.get(b.machine)!;
    return ma.group < mb.group ? -1 : ma.group > mb.group ? 1 : ma.sortOrder - mb.sortOrder || (a.machine < b.machine ? -1 : 1);
  });
  return {
    id: randomUUID(),
    basis,
    computedAt: now,
    frozenHours: request.frozenHours,
    nonDisruptive: request.nonDisruptive,
    seed,
    kpis: { before: outcome.currentKpis, parkedAtEnd: outcome.appendedKpis, after: outcome.kpis },
    machines: diffs,
    queues: outcome.queues,
    moves: outcome.moves,
    iterations: outcome.iterations,
    elapsedMs: Math.round(outcome.elapsedMs),
    provedOptimal: outcome.provedOptimal,
  };
}

function byOperation(result: PlanResult): Map<string, PlanResult['operations'][number]> {
  return new Map(result.operations.map((op) => [operationId(op), op]));
}

function sameQueue(a: readonly QueueEntry[], b: readonly QueueEntry[]): boolean {
  return a.length === b.length && a.every((entry, index) => entry.lot === b[index].lot && entry.step === b[index].step);
}

function operationDescriber(snapshot: PlanSnapshot, products: readonly Product[]) {
  const productByKey = new Map(products.map((p) => [p.key, p]));
  const workOrderByLot = new Map(snapshot.workOrders.map((wo) => [wo.lot, wo]));
  return (entry: QueueEntry, planned: Map<string, PlanResult['operations'][number]>): SuggestedOperation => {
    const wo = workOrderByLot.get(entry.lot);
    const product = wo ? productByKey.get(wo.product_key) : undefined;
    const op = planned.get(operationId(entry));
    return {
      lot: entry.lot,
      step: entry.step,
      product: product?.key ?? wo?.product_key ?? '',
      shortName: product?.shortName ?? wo?.product_key ?? '',
      color: product?.color ?? '#888888',
      start: op?.start ?? null,
      end: op?.end ?? null,
      changeoverMinutes: op?.changeoverMinutes ?? 0,
      late: op?.late ?? false,
      due: wo?.due ?? null,
    };
  };
}

/** What changes on `machine`: operations arriving, leaving, and those staying whose order among the stayers changed. */
function machineMoves(machine: string, current: Map<string, QueueEntry[]>, suggested: Record<string, QueueEntry[]>): MachineMove[] {
  const placeNow = new Map<string, { machine: string; position: number }>();
  for (const [key, list] of current) list.forEach((entry, position) => placeNow.set(operationId(entry), { machine: key, position }));
  const placeNext = new Map<string, { machine: string; position: number }>();
  for (const [key, list] of Object.entries(suggested)) list.forEach((entry, position) => placeNext.set(operationId(entry), { machine: key, position }));
  const before = current.get(machine) ?? [];
  const after = suggested[machine] ?? [];
  const moves: MachineMove[] = [];
  const stayersBefore = before.filter((entry) => placeNext.get(operationId(entry))?.machine === machine).map(operationId);
  const stayersAfter = after.filter((entry) => placeNow.get(operationId(entry))?.machine === machine).map(operationId);
  after.forEach((entry, toPosition) => {
    const id = operationId(entry);
    const from = placeNow.get(id);
    if (from?.machine !== machine) {
      moves.push({ lot: entry.lot, step: entry.step, kind: 'arrives', fromMachine: from?.machine ?? null, fromPosition: from?.position ?? null, toMachine: machine, toPosition });
    } else if (stayersBefore.indexOf(id) !== stayersAfter.indexOf(id)) {
      moves.push({ lot: entry.lot, step: entry.step, kind: 'resequenced', fromMachine: machine, fromPosition: from.position, toMachine: machine, toPosition });
    }
  });
  before.forEach((entry, fromPosition) => {
    const to = placeNext.get(operationId(entry));
    if (to && to.machine !== machine) moves.push({ lot: entry.lot, step: entry.step, kind: 'leaves', fromMachine: machine, fromPosition, toMachine: to.machine, toPosition: to.position });
  });
  return moves;
}

// ---- accept --------------------------------------------------------------------------------------

export async function acceptSuggestion(ctx: SuggestionContext, who: Who, request: AcceptRequest): Promise<AcceptResult> {
  const now = (ctx.now ?? Date.now)();
  return planTransaction(ctx.db, async (trx) => {
    const [snapshot, machines, products] = await Promise.all([loadPlanSnapshot(trx, ctx.zone, now), plantRepo.listMachines(trx), plantRepo.listProducts(trx)]);
    const machineByKey = new Map(machines.map((m) => [m.key, m]));
    const operationById = new Map(snapshot.operations.map((op) => [operationId(op), op]));
    const workOrderByLot = new Map(snapshot.workOrders.map((wo) => [wo.lot, wo]));
    const productByKey = new Map(products.map((p) => [p.key, p]));

    // 1. the request against the plant: machines, operations, groups (400 with the paths)
    const errors: FieldError[] = [];
    const placedAt = new Map<string, string>();
    for (const [machine, list] of Object.entries(request.queues)) {
      const path = `body.queues.${machine}`;
      const m = machineByKey.get(machine);
      if (!m) {
        errors.push({ path, message: `unknown machine '${machine}'` });
        continue;
      }
      list.forEach((entry, index) => {
        const at = `${path}[${index}]`;
        const id = operationId(entry);
        const op = operationById.get(id);
        const wo = workOrderByLot.get(entry.lot);
        const step = wo ? productByKey.get(wo.product_key)?.routing[entry.step] : undefined;
        if (!op || !step) return void errors.push({ path: at, message: `unknown operation ${entry.lot} step ${entry.step + 1}` });
        if (op.state === 'done') return void errors.push({ path: at, message: `operation ${entry.lot} step ${entry.step + 1} is done` });
        if (op.state === 'held') return void errors.push({ path: at, message: `operation ${entry.lot} step ${entry.step + 1} is held: held operations keep their places and are not part of a suggestion` });
        if (step.group !== m.group) return void errors.push({ path: at, message: `${m.name} belongs to process group '${m.group}', but step ${entry.step + 1} of lot ${entry.lot} runs on '${step.group}'` });
        const twice = placedAt.get(id);
        if (twice) return void errors.push({ path: at, message: `operation ${entry.lot} step ${entry.step + 1} is also in the queue of ${twice}` });
        placedAt.set(id, machine);
      });
    }
    const accepted = request.machines ?? Object.keys(request.queues);
    request.machines?.forEach((machine, index) => {
      if (!machineByKey.has(machine)) errors.push({ path: `body.machines[${index}]`, message: `unknown machine '${machine}'` });
      else if (!(machine in request.queues)) errors.push({ path: `body.machines[${index}]`, message: `the suggestion has no queue for '${machine}'` });
    });
    if (errors.length > 0) throw new Invalid(`the suggestion does not fit the plant: ${errors[0].path}: ${errors[0].message}`, errors);

    // 2. the live plan is still the one the suggestion was computed from (409 otherwise)
    if (planBasis(snapshot.operations, machines) !== request.basis) {
      throw new Conflict('the plan changed since this suggestion was computed (a job was moved, loaded, started or parked): ask for a new suggestion');
    }

    // 3. nothing frozen moves: running, under-way and within-the-frozen-horizon operations keep machine and order
    const frozen = frozenOperations({ ...snapshot.input, now: request.computedAt ?? now }, request.frozenHours);
    const frozenMachine = new Map<string, string>();
    for (const [machine, ids] of [...frozen.heads, ...frozen.fixed]) for (const id of ids) frozenMachine.set(id, machine);
    for (const machine of accepted) {
      const list = request.queues[machine].map(operationId);
      const head = frozen.heads.get(machine) ?? [];
      head.forEach((id, index) => {
        if (list[index] !== id) errors.push({ path: `body.queues.${machine}[${index}]`, message: `operation ${id} is frozen (running or within the frozen horizon) at place ${index + 1} of ${machine}` });
      });
      const fixedHere = frozen.fixed.get(machine) ?? [];
      const fixedInList = list.filter((id) => fixedHere.includes(id));
      if (fixedInList.join() !== fixedHere.join()) errors.push({ path: `body.queues.${machine}`, message: `operations under way on ${machine} (${fixedHere.join(', ')}) must stay there in their order` });
      list.forEach((id, index) => {
        const home = frozenMachine.get(id);
        if (home !== undefined && home !== machine) errors.push({ path: `body.queues.${machine}[${index}]`, message: `operation ${id} is frozen on ${home}` });
      });
    }
    if (errors.length > 0) throw new Invalid(`the suggestion moves frozen operations: ${errors[0].path}: ${errors[0].message}`, errors);

    // 4. the queues after the acceptance (see the rule at the top of this file)
    const live = liveQueues(snapshot.operations);
    const acceptedSet = new Set(accepted);
    const next = new Map<string, string[]>();
    for (const machine of accepted) {
      const list = request.queues[machine].map(operationId);
      const enabled = machineByKey.get(machine)!.enabled;
      const arriving = list.filter((id) => !(live.get(machine) ?? []).some((op) => operationId(op) === id));
      if (!enabled && arriving.length > 0) throw new Conflict(`${machineByKey.get(machine)!.name} is disabled: nothing new can be loaded on it`);
      // held operations keep their index in the queue
      (live.get(machine) ?? []).forEach((op, index) => {
        if (op.state === 'held') list.splice(Math.min(index, list.length), 0, operationId(op));
      });
      next.set(machine, list);
    }
    const claimed = new Set([...next.values()].flat());
    for (const [machine, ops] of live) {
      if (acceptedSet.has(machine)) continue;
      const ids = ops.map(operationId);
      const kept = ids.filter((id) => !claimed.has(id));
      if (kept.length !== ids.length) next.set(machine, kept);
    }
    const parkedIds: string[] = [];
    for (const machine of accepted) for (const op of live.get(machine) ?? []) if (!claimed.has(operationId(op))) parkedIds.push(operationId(op));

    // 5. writes: only operations whose machine, position or state change; each work order moved gets a new version
    const touchedLots = new Set<string>();
    const write = async (op: repo.OperationRow, changes: Pick<repo.OperationRow, 'machine_key' | 'position' | 'state'>) => {
      if (op.machine_key === changes.machine_key && op.position === changes.position && op.state === changes.state) return;
      await repo.updateOperation(trx, op.lot, op.step, changes);
      touchedLots.add(op.lot);
    };
    for (const id of parkedIds) await write(operationById.get(id)!, { state: 'parked', machine_key: null, position: null });
    const touchedMachines: string[] = [];
    for (const [machine, ids] of next) {
      const before = (live.get(machine) ?? []).map(operationId);
      if (before.join() !== ids.join()) touchedMachines.push(machine);
      for (const [position, id] of ids.entries()) {
        const op = operationById.get(id)!;
        await write(op, { machine_key: machine, position, state: queueState(op, position) });
      }
    }
    for (const lot of [...touchedLots].sort()) await bump(trx, workOrderByLot.get(lot)!, now);

    const kpisBefore = kpisOfPlan(snapshot.input);
    await replan(trx, ctx.zone, now);
    const after = await loadPlanSnapshot(trx, ctx.zone, now);
    const kpisAfter = kpisOfPlan(after.input);
    touchedMachines.sort();
    const queuesOf = (queues: Map<string, string[]>) => Object.fromEntries(touchedMachines.map((m) => [m, queues.get(m) ?? []]));
    const beforeQueues = new Map([...live].map(([m, ops]) => [m, ops.map(operationId)]));
    const parked = parkedIds.map((id) => ({ lot: operationById.get(id)!.lot, step: operationById.get(id)!.step }));
    await appendAudit(trx, {
      ...who,
      reason: request.reason ?? who.reason,
      entity: 'schedule',
      entityKey: 'plant',
      action: 'accept-suggestion',
      before: { basis: request.basis, queues: queuesOf(beforeQueues), kpis: kpisBefore },
      after: { suggestion: request.suggestion ?? null, accepted: [...accepted].sort(), queues: queuesOf(next), parked: parkedIds, kpis: kpisAfter },
    });
    return { machines: touchedMachines, changedOperations: countChanged(snapshot.operations, after.operations), parked, kpis: { before: kpisBefore, after: kpisAfter } };
  });
}

function countChanged(before: readonly repo.OperationRow[], after: readonly repo.OperationRow[]): number {
  const was = new Map(before.map((op) => [operationId(op), op]));
  return after.filter((op) => {
    const old = was.get(operationId(op));
    return old !== undefined && (old.machine_key !== op.machine_key || old.position !== op.position || old.state !== op.state);
  }).length;
}
