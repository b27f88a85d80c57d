// The only place with SQL for work orders and operations.
import type { Executor } from '../../db/database.js';
import type { OperationTable, WorkOrderTable } from '../../db/tables/orders.js';

export type WorkOrderRow = WorkOrderTable;
export type OperationRow = OperationTable;

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
function normaliseOperation(r: OperationTable): OperationRow {
  return {
    ...r,
    step: Number(r.step),
    position: num(r.position),
    produced: Number(r.produced),
    good: Number(r.good),
    scrap: Number(r.scrap),
    observed_rate_per_hour: num(r.observed_rate_per_hour),
    recommended_rate_per_hour: num(r.recommended_rate_per_hour),
    forecast_start: num(r.forecast_start),
    forecast_end: num(r.forecast_end),
    forecast_changeover_minutes: Number(r.forecast_changeover_minutes ?? 0),
    forecast_changeover_end: num(r.forecast_changeover_end),
    late: Number(r.late),
    pinned: Number(r.pinned ?? 0),
    actual_start: num(r.actual_start),
    actual_end: num(r.actual_end),
  };
}
function normaliseWorkOrder(r: WorkOrderTable): WorkOrderRow {
  return { ...r, quantity: Number(r.quantity), due: num(r.due), priority: Number(r.priority), version: Number(r.version), created_at: Number(r.created_at), updated_at: Number(r.updated_at) };
}

export async function getWorkOrder(db: Executor, lot: string): Promise<WorkOrderRow | undefined> {
  const row = await db.selectFrom('work_orders').selectAll().where('lot', '=', lot).executeTakeFirst();
  return row && normaliseWorkOrder(row);
}

export async function listWorkOrders(db: Executor, lots?: string[]): Promise<WorkOrderRow[]> {
  let q = db.selectFrom('work_orders').selectAll();
  if (lots) {
    if (lots.length === 0) return [];
    q = q.where('lot', 'in', lots);
  }
  return (await q.execute()).map(normaliseWorkOrder);
}

export async function listOperations(db: Executor, lots?: string[]): Promise<OperationRow[]> {
  let q = db.selectFrom('operations').selectAll();
  if (lots) {
    if (lots.length === 0) return [];
    q = q.where('lot', 'in', lots);
  }
  return (await q.orderBy('lot').orderBy('step').execute()).map(normaliseOperation);
}

/** Operations on a machine's queue (not done, not parked), in queue order. */
export async function machineQueue(db: Executor, machine: string): Promise<OperationRow[]> {
  const rows = await db
    .selectFrom('operations')
    .selectAll()
    .where('machine_key', '=', machine)
    .where('state', 'in', ['queued', 'running', 'held'])
    .orderBy('position')
    .execute();
  return rows.map(normaliseOperation);
}

export async function insertWorkOrder(db: Executor, wo: Omit<WorkOrderRow, 'version' | 'created_at' | 'updated_at'>, steps: number, now: number): Promise<void> {
  await db.insertInto('work_orders').values({ ...wo, version: 1, created_at: now, updated_at: now }).execute();
  await db
    .insertInto('operations')
    .values(
      Array.from({ length: steps }, (_, step) => ({
        lot: wo.lot, step, state: 'parked', machine_key: null, position: null, produced: 0, good: 0, scrap: 0,
        observed_rate_per_hour: null, recommended_rate_per_hour: null, forecast_start: null, forecast_end: null, forecast_changeover_minutes: 0, forecast_changeover_end: null, late: 0, actual_start: null, actual_end: null, pinned: 0,
      })),
    )
    .execute();
}

/** Bumps the version when it still is `expectedVersion`; false = somebody else changed it. */
export async function bumpWorkOrder(
  db: Executor,
  lot: string,
  expectedVersion: number,
  changes: Partial<Pick<WorkOrderRow, 'product_key' | 'quantity' | 'due' | 'priority' | 'notes' | 'rate_mode'>>,
  now: number,
): Promise<boolean> {
  const res = await db
    .updateTable('work_orders')
    .set({ ...changes, version: expectedVersion + 1, updated_at: now })
    .where('lot', '=', lot)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function deleteWorkOrder(db: Executor, lot: string): Promise<void> {
  await db.deleteFrom('operations').where('lot', '=', lot).execute();
  await db.deleteFrom('work_orders').where('lot', '=', lot).execute();
}

export async function updateOperation(
  db: Executor,
  lot: string,
  step: number,
  changes: Partial<Omit<OperationRow, 'lot' | 'step'>>,
): Promise<void> {
  await db.updateTable('operations').set(changes).where('lot', '=', lot).where('step', '=', step).execute();
}

/** An operation with what the planning board shows of its work order. */
export interface BoardOperationRow {
  lot: string;
  step: number;
  state: string;
  machine_key: string | null;
  position: number | null;
  produced: number;
  good: number;
  forecast_start: number | null;
  forecast_end: number | null;
  forecast_changeover_minutes: number;
  forecast_changeover_end: number | null;
  late: number;
  pinned: number;
  product_key: string;
  quantity: number;
  due: number | null;
  version: number;
}

/**
 * What a board window needs, filtered in the database: open operations queued on the given machines
 * whose forecast overlaps [from, to) or that have none, plus every parked operation (the caller keeps
 * those of its group). Reading every operation of the plant made the board's time grow with history.
 */
export async function listBoardOperations(db: Executor, machines: string[], from: number, to: number): Promise<BoardOperationRow[]> {
  const rows = await db
    .selectFrom('operations as o')
    .innerJoin('work_orders as w', 'w.lot', 'o.lot')
    .select([
      'o.lot', 'o.step', 'o.state', 'o.machine_key', 'o.position', 'o.produced', 'o.good', 'o.forecast_start', 'o.forecast_end', 'o.late',
      'o.forecast_changeover_minutes', 'o.forecast_changeover_end', 'o.pinned',
      'w.product_key', 'w.quantity', 'w.due', 'w.version',
    ])
    .where('o.state', '!=', 'done')
    .where((eb) => {
      const parked = [eb('o.state', '=', 'parked'), eb('o.machine_key', 'is', null)];
      if (machines.length === 0) return eb.or(parked);
      const inWindow = eb.or([eb('o.forecast_start', 'is', null), eb('o.forecast_end', 'is', null), eb.and([eb('o.forecast_end', '>', from), eb('o.forecast_start', '<', to)])]);
      return eb.or([...parked, eb.and([eb('o.machine_key', 'in', machines), inWindow])]);
    })
    .execute();
  return rows.map((r) => ({
    ...r,
    step: Number(r.step),
    position: num(r.position),
    produced: Number(r.produced),
    good: Number(r.good),
    forecast_start: num(r.forecast_start),
    forecast_end: num(r.forecast_end),
    forecast_changeover_minutes: Number(r.forecast_changeover_minutes ?? 0),
    forecast_changeover_end: num(r.forecast_changeover_end),
    late: Number(r.late),
    pinned: Number(r.pinned ?? 0),
    quantity: Number(r.quantity),
    due: num(r.due),
    version: Number(r.version),
  }));
}

/** Per machine: how many jobs its queue holds, when the last planned one ends, how many are late. */
export async function queueSummaries(db: Executor, machines: string[]): Promise<Map<string, { jobs: number; busyUntil: number | null; late: number }>> {
  const result = new Map<string, { jobs: number; busyUntil: number | null; late: number }>();
  if (machines.length === 0) return result;
  const rows = await db
    .selectFrom('operations')
    .select((eb) => ['machine_key', eb.fn.countAll<number>().as('jobs'), eb.fn.max('forecast_end').as('busy_until'), eb.fn.sum<number>('late').as('late')])
    .where('machine_key', 'in', machines)
    .where('state', 'in', ['queued', 'running', 'held'])
    .groupBy('machine_key')
    .execute();
  for (const r of rows) result.set(r.machine_key as string, { jobs: Number(r.jobs), busyUntil: num(r.busy_until), late: Number(r.late ?? 0) });
  return result;
}

/**
 * Writes forecasts; only rows whose forecast changed are passed in. A drag can move hundreds of them:
 * the statement is built and compiled once and run with each row's parameters, as building and
 * compiling it per row cost more than running it. (One multi-row CASE update was measured slower
 * on SQLite: its cost grows with rows × cases.)
 */
export async function writeForecasts(
  db: Executor,
  rows: { lot: string; step: number; start: number | null; end: number | null; late: boolean; changeoverMinutes: number; changeoverEnd: number | null }[],
): Promise<void> {
  if (rows.length === 0) return;
  const compiled = db
    .updateTable('operations')
    .set({ forecast_start: 0, forecast_end: 0, late: 0, forecast_changeover_minutes: 0, forecast_changeover_end: 0 })
    .where('lot', '=', '')
    .where('step', '=', 0)
    .compile();
  // parameters in the order they appear in the statement: SET values, then WHERE values
  for (const r of rows) {
    await db.executeQuery({ ...compiled, parameters: [r.start, r.end, r.late ? 1 : 0, r.changeoverMinutes, r.changeoverEnd, r.lot, r.step] });
  }
}

export async function operationsOnMachineCount(db: Executor, machine: string): Promise<number> {
  const row = await db.selectFrom('operations').select(db.fn.countAll<number>().as('n')).where('machine_key', '=', machine).executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function workOrdersOfProductCount(db: Executor, product: string): Promise<number> {
  const row = await db.selectFrom('work_orders').select(db.fn.countAll<number>().as('n')).where('product_key', '=', product).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The running and queued operations of these lots on the machine (what its machine data moves). */
export async function lotOperationsOnMachine(db: Executor, machine: string, lots: readonly string[]) {
  return db
    .selectFrom('operations')
    .select(['lot', 'step', 'state', 'position', 'scrap', 'actual_start'])
    .where('machine_key', '=', machine)
    .where('lot', 'in', [...lots])
    .where('state', 'in', ['running', 'queued'])
    .execute();
}
