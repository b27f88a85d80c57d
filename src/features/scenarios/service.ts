// Rules of what-if scenarios (issue 15 item 3). A scenario is a named sandbox: when it was copied
// from the live plan (the basis fingerprint and every queue's fingerprint, who and when) and a list
// of typed edits applied on top of the live plan each time it is planned — so it follows the live
// plan until it is published. Every change is versioned (409 when stale) and audited.
import type { Executor } from '../../db/database.js';
import type { OrdersContext } from '../orders/service.js';
import { Conflict, NotFound, StaleVersion } from '../../core/errors.js';
import { operationId, type RateMode } from '../../core/schedule/index.js';
import type { CalendarSpec } from '../../core/calendar/index.js';
import { appendAudit } from '../audit/repository.js';
import type { Who } from '../audit/who.js';
import { loadCalendarSpec } from '../calendar/repository.js';
import * as plantRepo from '../plant/repository.js';
import { loadPlanSnapshot, type PlanSnapshot } from '../orders/planner.js';
import { planBasis } from '../orders/suggestion.js';
import { inTransaction } from '../../db/transaction.js';
import { compare } from './compare.js';
import * as repo from './repository.js';
import { applyEdits, type SandboxResult } from './sandbox.js';
import { checkEdits } from './validation.js';
import type { Comparison, EditInput, ScenarioView } from './schemas.js';

/** the orders feature's context (database, plant zone, injectable clock) */
export type ScenarioContext = OrdersContext;

type Machine = Awaited<ReturnType<typeof plantRepo.listMachines>>[number];
type Product = Awaited<ReturnType<typeof plantRepo.listProducts>>[number];

export interface LivePlant {
  now: number;
  snapshot: PlanSnapshot;
  machines: Machine[];
  products: Product[];
  calendar: CalendarSpec;
  defaultRateMode: RateMode;
}

export async function loadLive(db: Executor, zone: string, now: number): Promise<LivePlant> {
  const [snapshot, machines, products, calendar, site] = await Promise.all([
    loadPlanSnapshot(db, zone, now), plantRepo.listMachines(db), plantRepo.listProducts(db), loadCalendarSpec(db), plantRepo.getSite(db),
  ]);
  return { now, snapshot, machines, products, calendar, defaultRateMode: site?.defaultRateMode ?? 'standard' };
}

export const PARKING_LOT = '(parking lot)';

/**
 * A fingerprint per machine of what planBasis covers (its queue: operations, states, places, under
 * way or not; whether it takes work) and one for the parking lot, so a stale copy can say which
 * queues changed.
 */
export function queueFingerprints(live: LivePlant): Record<string, string> {
  const lines = new Map<string, string[]>();
  for (const op of live.snapshot.operations) {
    if (op.state === 'done') continue;
    const key = op.state === 'parked' || !op.machine_key ? PARKING_LOT : op.machine_key;
    const line = `${operationId(op)}:${op.state}:${op.state === 'parked' ? '' : (op.position ?? '')}:${op.produced > 0 || op.actual_start !== null ? 1 : 0}`;
    lines.set(key, [...(lines.get(key) ?? []), line]);
  }
  const result: Record<string, string> = {};
  for (const m of live.machines) result[m.key] = `${m.enabled ? 'on' : 'off'}|${(lines.get(m.key) ?? []).sort().join(',')}`;
  result[PARKING_LOT] = (lines.get(PARKING_LOT) ?? []).sort().join(',');
  return result;
}

/** Machines (and the parking lot) whose queue differs from the copy's. */
export function liveChanges(row: repo.ScenarioRow, live: LivePlant): ScenarioView['liveChanges'] {
  if (planBasis(live.snapshot.operations, live.machines) === row.basis) return { changed: false, machines: [] };
  const now = queueFingerprints(live);
  const names = new Map(live.machines.map((m) => [m.key, m.name]));
  const keys = [...new Set([...Object.keys(now), ...Object.keys(row.basisQueues)])];
  const machines = keys.filter((k) => now[k] !== row.basisQueues[k]).map((k) => ({ key: k, name: k === PARKING_LOT ? 'Parking lot' : (names.get(k) ?? k) }));
  return { changed: true, machines };
}

export function toView(row: repo.ScenarioRow, live: LivePlant): ScenarioView {
  return {
    id: row.id, name: row.name, notes: row.notes, state: row.state, createdBy: row.createdBy, createdAt: row.createdAt, basisAt: row.basisAt, basis: row.basis,
    version: row.version, publishedAt: row.publishedAt, publishedBy: row.publishedBy, edits: row.edits,
    liveChanges: row.state === 'open' ? liveChanges(row, live) : { changed: false, machines: [] },
  };
}

export async function requireScenario(db: Executor, id: number, version?: number): Promise<repo.ScenarioRow> {
  const row = await repo.getScenario(db, id);
  if (!row) throw new NotFound('scenario', String(id));
  if (version !== undefined && row.version !== version) throw new StaleVersion('scenario', row.name, version, row.version);
  return row;
}

export function requireOpen(row: repo.ScenarioRow): void {
  if (row.state !== 'open') throw new Conflict(`scenario '${row.name}' is ${row.state}: it can no longer change`);
}

const nowOf = (ctx: ScenarioContext) => (ctx.now ?? Date.now)();
const validationPlant = (ctx: ScenarioContext, live: LivePlant) => ({ zone: ctx.zone, now: live.now, calendar: live.calendar, snapshot: live.snapshot, machines: live.machines, products: live.products });

export async function listScenarios(ctx: ScenarioContext) {
  const [rows, live] = await Promise.all([repo.listScenarios(ctx.db), loadLive(ctx.db, ctx.zone, nowOf(ctx))]);
  return { items: rows.map((row) => { const { edits, ...rest } = toView(row, live); return { ...rest, editCount: edits.length }; }) };
}

export async function getScenario(ctx: ScenarioContext, id: number): Promise<ScenarioView> {
  const row = await requireScenario(ctx.db, id);
  return toView(row, await loadLive(ctx.db, ctx.zone, nowOf(ctx)));
}

export async function createScenario(ctx: ScenarioContext, who: Who, input: { name: string; notes: string; edits: EditInput[] }): Promise<ScenarioView> {
  const now = nowOf(ctx);
  return inTransaction(ctx.db, async (trx) => {
    const live = await loadLive(trx, ctx.zone, now);
    const edits = checkEdits(validationPlant(ctx, live), [], input.edits);
    const basis = planBasis(live.snapshot.operations, live.machines);
    const id = await repo.insertScenario(trx, { name: input.name, notes: input.notes, createdBy: who.actor, basis, basisAt: now, basisQueues: queueFingerprints(live), edits }, now);
    await appendAudit(trx, { ...who, entity: 'scenario', entityKey: String(id), action: 'create', before: null, after: { name: input.name, notes: input.notes, basis, edits } });
    return toView((await repo.getScenario(trx, id))!, live);
  });
}

/** One versioned change of an open scenario and its audit entry. */
async function changeScenario(
  ctx: ScenarioContext,
  who: Who,
  id: number,
  version: number,
  action: string,
  fn: (row: repo.ScenarioRow, live: LivePlant) => { changes: Parameters<typeof repo.updateScenario>[3]; before: unknown; after: unknown },
): Promise<ScenarioView> {
  const now = nowOf(ctx);
  return inTransaction(ctx.db, async (trx) => {
    const row = await requireScenario(trx, id, version);
    requireOpen(row);
    const live = await loadLive(trx, ctx.zone, now);
    const { changes, before, after } = fn(row, live);
    if (!(await repo.updateScenario(trx, id, version, changes, now))) throw new StaleVersion('scenario', row.name, version, version + 1);
    await appendAudit(trx, { ...who, entity: 'scenario', entityKey: String(id), action, before, after });
    return toView((await repo.getScenario(trx, id))!, live);
  });
}

export function updateScenario(ctx: ScenarioContext, who: Who, id: number, patch: { version: number; name?: string; notes?: string }): Promise<ScenarioView> {
  return changeScenario(ctx, who, id, patch.version, 'update', (row) => ({
    changes: { name: patch.name, notes: patch.notes },
    before: { name: row.name, notes: row.notes },
    after: { name: patch.name ?? row.name, notes: patch.notes ?? row.notes },
  }));
}

export function addEdits(ctx: ScenarioContext, who: Who, id: number, version: number, edits: EditInput[]): Promise<ScenarioView> {
  return changeScenario(ctx, who, id, version, 'add-edits', (row, live) => {
    const added = checkEdits(validationPlant(ctx, live), row.edits, edits);
    return { changes: { edits: [...row.edits, ...added] }, before: { edits: row.edits.length }, after: { added } };
  });
}

export function removeEdit(ctx: ScenarioContext, who: Who, id: number, version: number, editId: number): Promise<ScenarioView> {
  return changeScenario(ctx, who, id, version, 'remove-edit', (row) => {
    const edit = row.edits.find((e) => e.id === editId);
    if (!edit) throw new NotFound('scenario edit', `${id}/${editId}`);
    return { changes: { edits: row.edits.filter((e) => e.id !== editId) }, before: { edit }, after: null };
  });
}

export function discardScenario(ctx: ScenarioContext, who: Who, id: number, version: number): Promise<ScenarioView> {
  return changeScenario(ctx, who, id, version, 'discard', (row) => ({ changes: { state: 'discarded' }, before: { state: row.state }, after: { state: 'discarded' } }));
}

/** The scenario's plan over the live plant as it is now. */
export function sandboxOf(ctx: { zone: string }, row: repo.ScenarioRow, live: LivePlant): SandboxResult {
  return applyEdits(live.snapshot.input, { zone: ctx.zone, calendar: live.calendar, machines: live.machines, defaultRateMode: live.defaultRateMode }, row.edits);
}

export async function compareScenario(ctx: ScenarioContext, id: number): Promise<Comparison> {
  const row = await requireScenario(ctx.db, id);
  const live = await loadLive(ctx.db, ctx.zone, nowOf(ctx));
  const sandbox = sandboxOf(ctx, row, live);
  const productOfLot = new Map(live.snapshot.workOrders.map((wo) => [wo.lot, wo.product_key]));
  for (const edit of row.edits) if (edit.kind === 'rushOrder') productOfLot.set(edit.lot, edit.product);
  const result = compare(live.snapshot.input, sandbox.input, {
    machines: live.machines,
    products: new Map(live.products.map((p) => [p.key, { shortName: p.shortName, color: p.color }])),
    productOfLot,
  });
  return { scenario: row.id, version: row.version, ...result, skipped: sandbox.skipped };
}
