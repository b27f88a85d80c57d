// Rules of work orders: creation with one parked operation per routing step, loading onto machine
// queues (replace / insert / append / position), park, hold, release, close, counts — each change in
// one transaction with its audit entry, followed by a re-plan of the plant.
import { DateTime } from 'luxon';
import type { Db, Executor, Tx } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { Conflict, Invalid, NotFound, StaleVersion } from '../../core/errors.js';
import { loadIntoQueue, operationId, parseOperationId, planningHorizonEnd, queueState, WorkingTimeline, type LoadMode } from '../../core/schedule/index.js';
import { requireReason } from '../../core/reasons.js';
import { appendAudit } from '../audit/repository.js';
import type { Who } from '../audit/who.js';
import * as authRepo from '../auth/repository.js';
import * as plantRepo from '../plant/repository.js';
import type { ReferenceCheck } from '../plant/service.js';
import * as repo from './repository.js';
import { loadCalendarSpec } from '../calendar/repository.js';
import { cachedWorkingTime, planTransaction, replan } from './planner.js';
import { toWorkOrderView, type PlantLookup } from './views.js';
import type { WorkOrder, WorkOrderCreate, WorkOrderListQuery, WorkOrderUpdate } from './schemas.js';

// What work orders hold on the plant model: plant asks these (wired in server/app.ts) before a deletion
/** operations of work orders on a machine block deleting it */
export const machineOperationsCheck: ReferenceCheck = async (db, key) => ((await repo.operationsOnMachineCount(db, key)) > 0 ? 'operations of work orders' : null);
/** jobs in a machine's queue block disabling it */
export const machineQueueCheck: ReferenceCheck = async (db, key) => {
  const n = (await repo.machineQueue(db, key)).length;
  return n > 0 ? `${n} job${n === 1 ? '' : 's'} in its queue` : null;
};
/** work orders of a product block deleting it */
export const productWorkOrdersCheck: ReferenceCheck = async (db, key) => {
  const n = await repo.workOrdersOfProductCount(db, key);
  return n > 0 ? `${n} work order${n === 1 ? '' : 's'}` : null;
};

export interface OrdersContext {
  db: Db;
  zone: string;
  /** injectable clock for tests; defaults to Date.now */
  now?: () => number;
}

/** "2026-12-01" → the end of that plant-local day; an ISO date-time with or without offset (plant-local). */
export function parseDue(due: string | null | undefined, zone: string, path = 'body.due'): number | null {
  if (due === null || due === undefined || due === '') return null;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(due);
  const parsed = dateOnly ? DateTime.fromISO(due, { zone }).plus({ days: 1 }) : DateTime.fromISO(due, { zone, setZone: false });
  if (!parsed.isValid) throw Invalid.field(path, `'${due}' is not a valid date (${parsed.invalidExplanation ?? parsed.invalidReason})`);
  return parsed.toMillis();
}

/** Names of the plant, and its working time from `now` on (for the estimate of unplanned steps). */
export async function plantLookup(db: Executor, zone: string, now = Date.now()): Promise<PlantLookup> {
  const [products, groups, machines, site, calendar] = await Promise.all([
    plantRepo.listProducts(db), plantRepo.listGroups(db), plantRepo.listMachines(db), plantRepo.getSite(db), loadCalendarSpec(db),
  ]);
  return {
    products: new Map(products.map((p) => [p.key, p])),
    groups: new Map(groups.map((g) => [g.key, g])),
    machines: new Map(machines.map((m) => [m.key, m])),
    defaultRateMode: site?.defaultRateMode ?? 'standard',
    timeline: new WorkingTimeline(cachedWorkingTime(calendar, zone), now, planningHorizonEnd(now)),
    now,
  };
}

export async function getWorkOrderView(db: Executor, zone: string, lot: string, now?: number): Promise<WorkOrder> {
  const wo = await repo.getWorkOrder(db, lot);
  if (!wo) throw new NotFound('work order', lot);
  const signed = await authRepo.listSignedLots(db, [lot]);
  return toWorkOrderView(wo, await repo.listOperations(db, [lot]), await plantLookup(db, zone, now), signed.has(lot));
}

/** The work orders matching the filters, sorted: `limit` of them from `offset` on, and how many match in all. */
export async function listWorkOrderPage(db: Executor, zone: string, query: WorkOrderListQuery): Promise<{ items: WorkOrder[]; total: number }> {
  const [rows, ops, plant, signed] = await Promise.all([repo.listWorkOrders(db), repo.listOperations(db), plantLookup(db, zone), authRepo.listSignedLots(db)]);
  const opsByLot = new Map<string, repo.OperationRow[]>();
  for (const op of ops) opsByLot.set(op.lot, [...(opsByLot.get(op.lot) ?? []), op]);
  const search = query.search?.trim().toLowerCase();
  let views = rows.map((wo) => toWorkOrderView(wo, opsByLot.get(wo.lot) ?? [], plant, signed.has(wo.lot)));
  views = views.filter(
    (v) =>
      (!query.product || v.product === query.product) &&
      (!query.status || (query.status === 'open' ? v.status !== 'done' : v.status === query.status)) &&
      (!query.late || (query.late === 'risk' ? v.lateRisk : v.late === (query.late === 'true'))) &&
      (!search || [v.lot, v.productName, v.itemNumber, v.notes].some((s) => s.toLowerCase().includes(search))),
  );
  const key: Record<WorkOrderListQuery['sort'], (v: WorkOrder) => string | number> = {
    lot: (v) => v.lot,
    due: (v) => v.due ?? '9999',
    product: (v) => v.productName,
    forecastEnd: (v) => v.forecastEnd ?? '9999',
    priority: (v) => -v.priority,
    updated: (v) => v.updatedAt,
  };
  const k = key[query.sort];
  const dir = query.dir === 'desc' ? -1 : 1;
  views.sort((a, b) => (k(a) < k(b) ? -dir : k(a) > k(b) ? dir : a.lot < b.lot ? -1 : 1));
  return { items: views.slice(query.offset, query.offset + query.limit), total: views.length };
}

export async function listWorkOrderViews(db: Executor, zone: string, query: WorkOrderListQuery): Promise<WorkOrder[]> {
  return (await listWorkOrderPage(db, zone, query)).items;
}

/**
 * Re-plans the whole plant in its own transaction: after a change that is not an order's (the
 * calendar), or on a planner's request — then `who` asked for it and the trail records it.
 */
export async function replanPlant(ctx: OrdersContext, who?: Who): Promise<{ changed: number; unplanned: number }> {
  const now = (ctx.now ?? Date.now)();
  return planTransaction(ctx.db, async (trx) => {
    const { result, changed } = await replan(trx, ctx.zone, now);
    const summary = { changed, unplanned: result.unplanned.length };
    // a requested re-plan rewrites forecasts: who asked for it belongs in the trail
    if (who) await appendAudit(trx, { ...who, entity: 'schedule', entityKey: 'plant', action: 'replan', after: summary });
    return summary;
  });
}

async function audit(trx: Tx, who: Who, lot: string, action: string, before: unknown, after: unknown): Promise<void> {
  await appendAudit(trx, { ...who, entity: 'work-order', entityKey: lot, action, before, after });
}

/** Runs a change and the re-plan in one transaction; returns the fresh view of the lot. */
async function change(ctx: OrdersContext, lot: string, fn: (trx: Tx, now: number) => Promise<void>): Promise<WorkOrder> {
  const now = (ctx.now ?? Date.now)();
  return planTransaction(ctx.db, async (trx) => {
    await fn(trx, now);
    await replan(trx, ctx.zone, now);
    return getWorkOrderView(trx, ctx.zone, lot, now);
  });
}

/** The machine an operation is on (for the line scope of operators), or null when it is on none. */
export async function machineOfOperation(db: Executor, lot: string, step: number): Promise<string | null> {
  const op = (await repo.listOperations(db, [lot])).find((o) => o.step === step);
  return op?.machine_key ?? null;
}

/** The work order of `lot` (404 when there is none) at the version the client saw (409 when it changed since). */
export async function requireWorkOrder(trx: Executor, lot: string, version?: number): Promise<repo.WorkOrderRow> {
  const wo = await repo.getWorkOrder(trx, lot);
  if (!wo) throw new NotFound('work order', lot);
  if (version !== undefined && wo.version !== version) throw new StaleVersion('work order', lot, version, wo.version);
  return wo;
}

/** A new version of the work order (with `changes`), or 409 when another change came first. */
export async function bump(trx: Executor, wo: repo.WorkOrderRow, now: number, changes: Parameters<typeof repo.bumpWorkOrder>[3] = {}): Promise<void> {
  if (!(await repo.bumpWorkOrder(trx, wo.lot, wo.version, changes, now))) throw new StaleVersion('work order', wo.lot, wo.version, wo.version + 1);
}

export async function createWorkOrder(ctx: OrdersContext, who: Who, input: WorkOrderCreate): Promise<WorkOrder> {
  return change(ctx, input.lot, (trx, now) => insertNewWorkOrder(trx, ctx.zone, who, input, now));
}

/**
 * The rules and audit entry of creating a work order, without the re-plan (the caller decides when to
 * plan). `who` null: the caller records the change in its own audit entry (a published scenario).
 */
export async function insertNewWorkOrder(trx: Tx, zone: string, who: Who | null, input: WorkOrderCreate, now: number): Promise<void> {
  if (await repo.getWorkOrder(trx, input.lot)) throw new Conflict(`work order '${input.lot}' already exists`);
  const product = await plantRepo.getProduct(trx, input.product);
  if (!product) throw Invalid.field('body.product', `unknown product '${input.product}'`);
  const due = parseDue(input.due, zone);
  await repo.insertWorkOrder(
    trx,
    { lot: input.lot, product_key: input.product, quantity: input.quantity, due, priority: input.priority, notes: input.notes, rate_mode: input.rateMode },
    product.routing.length,
    now,
  );
  if (who) await audit(trx, who, input.lot, 'create', null, { ...input, due: due === null ? null : new Date(due).toISOString() });
}

export interface ImportCandidate {
  /** spreadsheet row, for the error report */
  row: number;
  input: WorkOrderCreate;
}

/**
 * Creates imported work orders: one transaction per row (its insert and audit entry together), so a
 * row that fails — a lot that already exists — is reported and the others are kept, and no write
 * lock is held for the whole file. New work orders are parked and cannot move any forecast, so the
 * plant is re-planned once at the end instead of once per row as createWorkOrder would.
 */
export async function importWorkOrders(
  ctx: OrdersContext,
  who: Who,
  candidates: ImportCandidate[],
  fileName = 'an uploaded file',
): Promise<{ imported: string[]; errors: { row: number; field: string; message: string }[] }> {
  const now = (ctx.now ?? Date.now)();
  const imported: string[] = [];
  const errors: { row: number; field: string; message: string }[] = [];
  for (const { row, input } of candidates) {
    const rowWho: Who = { ...who, reason: who.reason ?? `imported from ${fileName}, row ${row}` };
    try {
      await inTransaction(ctx.db, (trx) => insertNewWorkOrder(trx, ctx.zone, rowWho, input, now));
      imported.push(input.lot);
    } catch (error) {
      if (error instanceof Conflict) errors.push({ row, field: 'lot', message: error.message });
      else if (error instanceof Invalid && error.fields.length > 0) {
        for (const f of error.fields) errors.push({ row, field: f.path.replace(/^body\./, ''), message: f.message });
      } else throw error;
    }
  }
  if (imported.length > 0) await planTransaction(ctx.db, (trx) => replan(trx, ctx.zone, now));
  return { imported, errors };
}

/** A work order with a signature (its signed close) or a released gate is a signed record: editing it needs a reason. */
async function isSignedOrReleased(db: Executor, lot: string): Promise<boolean> {
  return (await authRepo.listSignedLots(db, [lot])).has(lot);
}

/** Closing with fewer good units than the work order's quantity is closing short. */
export function shortOf(good: number, quantity: number): string | null {
  return good < quantity ? `${good} of ${quantity} good` : null;
}

export async function updateWorkOrder(ctx: OrdersContext, who: Who, lot: string, patch: WorkOrderUpdate): Promise<WorkOrder> {
  return change(ctx, lot, (trx, now) => updateWorkOrderIn(trx, ctx.zone, who, lot, patch, now));
}

/** The rules of updateWorkOrder inside the caller's transaction, without the re-plan; `who` null: the caller audits (see insertNewWorkOrder). */
export async function updateWorkOrderIn(trx: Tx, zone: string, who: Who | null, lot: string, patch: Omit<WorkOrderUpdate, 'version'> & { version?: number }, now: number): Promise<void> {
  {
    const wo = await requireWorkOrder(trx, lot, patch.version);
    const given = patch.reason ?? who?.reason;
    const reason = (await isSignedOrReleased(trx, lot)) ? requireReason({ reason: given }, `changing work order ${lot}: it is signed or released`) : given;
    const changes: Parameters<typeof repo.bumpWorkOrder>[3] = {};
    if (patch.product !== undefined && patch.product !== wo.product_key) {
      const ops = await repo.listOperations(trx, [lot]);
      if (ops.some((o) => o.state !== 'parked')) throw new Conflict(`the product of work order '${lot}' can only change while all its operations are parked`);
      const product = await plantRepo.getProduct(trx, patch.product);
      if (!product) throw Invalid.field('body.product', `unknown product '${patch.product}'`);
      if (product.routing.length !== ops.length) throw Invalid.field('body.product', `product '${patch.product}' has a different routing (${product.routing.length} steps, this work order has ${ops.length})`);
      changes.product_key = patch.product;
    }
    if (patch.quantity !== undefined) changes.quantity = patch.quantity;
    if (patch.due !== undefined) changes.due = parseDue(patch.due, zone);
    if (patch.priority !== undefined) changes.priority = patch.priority;
    if (patch.notes !== undefined) changes.notes = patch.notes;
    if (patch.rateMode !== undefined) changes.rate_mode = patch.rateMode;
    await bump(trx, wo, now, changes);
    const before = Object.fromEntries(Object.keys(changes).map((k) => [k, wo[k as keyof repo.WorkOrderRow]]));
    if (who) await appendAudit(trx, { ...who, reason, entity: 'work-order', entityKey: lot, action: 'update', before, after: changes });
  }
}

export async function deleteWorkOrder(ctx: OrdersContext, who: Who, lot: string, version?: number): Promise<void> {
  const now = (ctx.now ?? Date.now)();
  await planTransaction(ctx.db, async (trx) => {
    const wo = await requireWorkOrder(trx, lot, version);
    const ops = await repo.listOperations(trx, [lot]);
    if (ops.some((o) => o.produced > 0 || o.state === 'done')) throw new Conflict(`work order '${lot}' has production recorded; close it instead of deleting it`);
    const reason = requireReason(who, `deleting work order ${lot}`);
    const machines = [...new Set(ops.map((o) => o.machine_key).filter((m): m is string => m !== null))];
    await repo.deleteWorkOrder(trx, lot);
    for (const m of machines) await closeUpQueue(trx, m);
    await audit(trx, { ...who, reason }, lot, 'delete', wo, null);
    await replan(trx, ctx.zone, now);
  });
}

/** Writes positions 0..n-1 and states for a machine's queue. */
export async function renumberQueue(trx: Executor, machine: string, ids: string[]): Promise<void> {
  const current = new Map((await repo.machineQueue(trx, machine)).map((o) => [operationId(o), o]));
  for (const [position, id] of ids.entries()) {
    const { lot, step } = parseOperationId(id);
    const op = current.get(id);
    const state = op ? queueState(op, position) : 'queued';
    if (op && op.position === position && op.state === state && op.machine_key === machine) continue;
    await repo.updateOperation(trx, lot, step, { machine_key: machine, position, state });
  }
}

/** Positions 0..n-1 and states of a machine's queue in its current order, after operations left it. */
export async function closeUpQueue(trx: Executor, machine: string): Promise<void> {
  await renumberQueue(trx, machine, (await repo.machineQueue(trx, machine)).map(operationId));
}

/** Marks an operation done now: off its queue position, actual times kept (or taken from the forecast), no forecast. */
export async function markDone(trx: Executor, op: repo.OperationRow, now: number): Promise<void> {
  await repo.updateOperation(trx, op.lot, op.step, {
    state: 'done',
    position: null,
    actual_start: op.actual_start ?? op.forecast_start ?? now,
    actual_end: now,
    forecast_start: null,
    forecast_end: null,
    late: 0,
  });
}

async function requireOperation(trx: Executor, lot: string, step: number): Promise<repo.OperationRow> {
  const op = (await repo.listOperations(trx, [lot])).find((o) => o.step === step);
  if (!op) throw new NotFound('operation', `${lot}/${step}`);
  return op;
}

const placement = (op: repo.OperationRow) => ({ state: op.state, machine: op.machine_key, position: op.position });

export interface LoadRequest {
  machine: string;
  mode: LoadMode;
  position?: number;
  version?: number;
}

/** Loads (or moves) an operation onto a machine's queue with one of the original's load modes. */
export async function loadOperation(ctx: OrdersContext, who: Who, lot: string, step: number, request: LoadRequest): Promise<WorkOrder> {
  return change(ctx, lot, (trx, now) => loadOperationIn(trx, who, lot, step, request, now));
}

/** The rules of loadOperation inside the caller's transaction, without the re-plan; `who` null: the caller audits (see insertNewWorkOrder). */
export async function loadOperationIn(trx: Tx, who: Who | null, lot: string, step: number, request: LoadRequest, now: number): Promise<void> {
  {
    const wo = await requireWorkOrder(trx, lot, request.version);
    const op = await requireOperation(trx, lot, step);
    if (op.state === 'done') throw new Conflict(`operation ${lot}/${step} is done; it cannot be loaded again`);
    const machine = await plantRepo.getMachine(trx, request.machine);
    if (!machine) throw new NotFound('machine', request.machine);
    const product = await plantRepo.getProduct(trx, wo.product_key);
    const stepDef = product?.routing[step];
    if (!stepDef) throw new NotFound('routing step', `${wo.product_key}/${step}`);
    if (machine.group !== stepDef.group) {
      throw Invalid.field('body.machine', `${machine.name} belongs to process group '${machine.group}', but step ${step + 1} of lot ${lot} runs on '${stepDef.group}'`);
    }
    if (!machine.enabled) throw new Conflict(`${machine.name} is disabled`);
    const previousMachine = op.state === 'parked' ? null : op.machine_key;
    const current = await repo.machineQueue(trx, machine.key);
    const queue = current.map(operationId);
    // a running job stays first: a drop in front of it lands right after it ('replace' is the way to take its place)
    const headRunning = current[0]?.state === 'running' && queue[0] !== operationId(op);
    const position = request.mode === 'position' && headRunning ? Math.max(1, request.position ?? 1) : request.position;
    const { queue: next, parked } = loadIntoQueue(queue, operationId(op), request.mode, position);
    for (const id of parked) {
      const p = parseOperationId(id);
      await repo.updateOperation(trx, p.lot, p.step, { state: 'parked', machine_key: null, position: null });
      const other = await repo.getWorkOrder(trx, p.lot);
      if (other && other.lot !== lot) await bump(trx, other, now);
      if (who) await audit(trx, who, p.lot, 'park', { step: p.step, machine: machine.key }, { step: p.step, reason: `replaced by lot ${lot}` });
    }
    // taking it off its previous machine first keeps both queues dense
    if (previousMachine && previousMachine !== machine.key) {
      await repo.updateOperation(trx, lot, step, { position: null, state: 'queued', machine_key: null });
      await closeUpQueue(trx, previousMachine);
    }
    if (op.state === 'parked' || previousMachine !== machine.key) await repo.updateOperation(trx, lot, step, { machine_key: machine.key, state: 'queued', position: -1 });
    await renumberQueue(trx, machine.key, next);
    await bump(trx, wo, now);
    const after = await requireOperation(trx, lot, step);
    if (who) await audit(trx, who, lot, `load-${request.mode}`, { step, ...placement(op) }, { step, ...placement(after) });
  }
}

/** Back to the parking lot (counts are kept). */
export async function parkOperation(ctx: OrdersContext, who: Who, lot: string, step: number, version?: number): Promise<WorkOrder> {
  return change(ctx, lot, (trx, now) => parkOperationIn(trx, who, lot, step, now, version));
}

/** The rules of parkOperation inside the caller's transaction, without the re-plan; `who` null: the caller audits (see insertNewWorkOrder). */
export async function parkOperationIn(trx: Tx, who: Who | null, lot: string, step: number, now: number, version?: number): Promise<void> {
  {
    const wo = await requireWorkOrder(trx, lot, version);
    const op = await requireOperation(trx, lot, step);
    if (op.state === 'done') throw new Conflict(`operation ${lot}/${step} is done`);
    if (op.state === 'parked') return;
    await repo.updateOperation(trx, lot, step, { state: 'parked', machine_key: null, position: null, pinned: 0 });
    if (op.machine_key) await closeUpQueue(trx, op.machine_key);
    await bump(trx, wo, now);
    if (who) await audit(trx, who, lot, 'park', { step, ...placement(op) }, { step, state: 'parked' });
  }
}

export async function holdOperation(ctx: OrdersContext, who: Who, lot: string, step: number, hold: boolean, version?: number, reason?: string): Promise<WorkOrder> {
  return change(ctx, lot, async (trx, now) => {
    const wo = await requireWorkOrder(trx, lot, version);
    const op = await requireOperation(trx, lot, step);
    if (hold) {
      if (op.state === 'done' || op.state === 'parked') throw new Conflict(`only a queued or running operation can be held (${lot}/${step} is ${op.state})`);
      if (op.state === 'held') return;
      await repo.updateOperation(trx, lot, step, { state: 'held' });
    } else {
      if (op.state !== 'held') throw new Conflict(`operation ${lot}/${step} is not held`);
      await repo.updateOperation(trx, lot, step, { state: queueState({ ...op, state: 'queued' }, op.position ?? 1) });
    }
    await bump(trx, wo, now);
    await appendAudit(trx, { ...who, reason: reason ?? who.reason, entity: 'work-order', entityKey: lot, action: hold ? 'hold' : 'release', before: { step, state: op.state }, after: { step, state: hold ? 'held' : 'released' } });
  });
}

/**
 * Pins (or unpins) a queued or running operation: the optimiser keeps its machine and its order
 * among the frozen ones. Parking an operation unpins it (a pin means "keep it where it is").
 */
export async function pinOperation(ctx: OrdersContext, who: Who, lot: string, step: number, pinned: boolean, version?: number): Promise<WorkOrder> {
  return change(ctx, lot, async (trx, now) => {
    const wo = await requireWorkOrder(trx, lot, version);
    const op = await requireOperation(trx, lot, step);
    if (pinned && op.state !== 'queued' && op.state !== 'running' && op.state !== 'held') {
      throw new Conflict(`only an operation on a machine can be pinned (${lot}/${step} is ${op.state})`);
    }
    if ((op.pinned === 1) === pinned) return;
    await repo.updateOperation(trx, lot, step, { pinned: pinned ? 1 : 0 });
    await bump(trx, wo, now);
    await appendAudit(trx, { ...who, entity: 'work-order', entityKey: lot, action: pinned ? 'pin' : 'unpin', before: { step, pinned: op.pinned === 1, ...placement(op) }, after: { step, pinned } });
  });
}

/** Marks an operation done: it leaves the machine's queue, the next job moves up. */
export async function closeOperation(ctx: OrdersContext, who: Who, lot: string, step: number, version?: number, reason?: string): Promise<WorkOrder> {
  return change(ctx, lot, async (trx, now) => {
    const wo = await requireWorkOrder(trx, lot, version);
    const op = await requireOperation(trx, lot, step);
    if (op.state === 'done') throw new Conflict(`operation ${lot}/${step} is already done`);
    const short = shortOf(op.good, wo.quantity);
    const why = short ? requireReason({ ...who, reason: reason ?? who.reason }, `closing step ${step + 1} short of its quantity (${short})`) : (reason ?? who.reason);
    await markDone(trx, op, now);
    if (op.machine_key && op.state !== 'parked') await closeUpQueue(trx, op.machine_key);
    await bump(trx, wo, now);
    await appendAudit(trx, {
      ...who, reason: why, entity: 'work-order', entityKey: lot, action: 'close',
      before: { step, ...placement(op) }, after: { step, state: 'done', produced: op.produced, good: op.good, quantity: wo.quantity },
    });
  });
}

/** Production counts reported for an operation (operator form, or the machine data). */
export async function setCounts(ctx: OrdersContext, who: Who, lot: string, step: number, counts: { produced: number; good?: number; scrap?: number; version?: number }): Promise<WorkOrder> {
  return change(ctx, lot, async (trx, now) => {
    const wo = await requireWorkOrder(trx, lot, counts.version);
    const op = await requireOperation(trx, lot, step);
    const reason = (await isSignedOrReleased(trx, lot)) ? requireReason(who, `changing the counts of work order ${lot}: it is signed or released`) : who.reason;
    const good = counts.good ?? Math.max(0, counts.produced - (counts.scrap ?? op.scrap));
    const scrap = counts.scrap ?? op.scrap;
    if (good + scrap > counts.produced) throw Invalid.field('body.good', `good (${good}) + scrap (${scrap}) exceed produced (${counts.produced})`);
    const actualStart = op.actual_start ?? (counts.produced > 0 ? now : null);
    const onQueue = op.state === 'queued' || op.state === 'running';
    const state = onQueue ? queueState({ ...op, produced: counts.produced, actual_start: actualStart }, op.position ?? 1) : op.state;
    await repo.updateOperation(trx, lot, step, { produced: counts.produced, good, scrap, actual_start: actualStart, state });
    await bump(trx, wo, now);
    await audit(trx, { ...who, reason }, lot, 'counts', { step, produced: op.produced, good: op.good, scrap: op.scrap }, { step, produced: counts.produced, good, scrap });
  });
}
