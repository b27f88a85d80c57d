// What alert rules look at, read from the tables of the features below (reads only: each of these
// tables has its own writer elsewhere).
import type { Executor } from '../../db/database.js';

export interface MachineRef {
  key: string;
  name: string;
  group: string;
}

export async function machinesInScope(db: Executor, scope: 'machine' | 'group', key: string): Promise<MachineRef[]> {
  const rows = await db
    .selectFrom('machines')
    .select(['key', 'name', 'group_key'])
    .where(scope === 'machine' ? 'key' : 'group_key', '=', key)
    .where('enabled', '=', 1)
    .orderBy('sort_order')
    .execute();
  return rows.map((r) => ({ key: r.key, name: r.name, group: r.group_key }));
}

export async function machineRef(db: Executor, key: string): Promise<MachineRef | undefined> {
  const row = await db.selectFrom('machines').select(['key', 'name', 'group_key']).where('key', '=', key).executeTakeFirst();
  return row ? { key: row.key, name: row.name, group: row.group_key } : undefined;
}

/** The last cycle and the machine's own last state report. */
export async function lastSigns(db: Executor, machine: string): Promise<{ lastCycleAt: number | null; reported: { state: string; at: number } | null }> {
  const state = await db.selectFrom('machine_state').select('last_at').where('machine_key', '=', machine).executeTakeFirst();
  const reported = await db.selectFrom('machine_reported_state').select(['state', 'at']).where('machine_key', '=', machine).executeTakeFirst();
  return {
    lastCycleAt: state?.last_at === null || state?.last_at === undefined ? null : Number(state.last_at),
    reported: reported ? { state: reported.state, at: Number(reported.at) } : null,
  };
}

export async function partsBetween(db: Executor, machine: string, from: number, to: number): Promise<number> {
  const row = await db
    .selectFrom('cycles')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('machine_key', '=', machine)
    .where('at', '>=', from)
    .where('at', '<', to)
    .where('part', '=', 1)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The current job of a machine (the head of its queue) and its routing's standard rate. */
export async function runningOperation(db: Executor, machine: string): Promise<{ lot: string; step: number; ratePerHour: number | null } | undefined> {
  const row = await db
    .selectFrom('operations as o')
    .innerJoin('work_orders as w', 'w.lot', 'o.lot')
    .leftJoin('routing_steps as r', (join) => join.onRef('r.product_key', '=', 'w.product_key').onRef('r.step_index', '=', 'o.step'))
    .select(['o.lot', 'o.step', 'r.rate_per_hour'])
    .where('o.machine_key', '=', machine)
    // the head of the machine's queue is its current job (running, or queued until its first part)
    .where('o.position', '=', 0)
    .where('o.state', 'in', ['running', 'queued'])
    .executeTakeFirst();
  return row ? { lot: row.lot, step: Number(row.step), ratePerHour: row.rate_per_hour === null ? null : Number(row.rate_per_hour) } : undefined;
}

export interface OperationForecast {
  lot: string;
  step: number;
  machine: string;
  late: boolean;
  forecastEnd: number | null;
  due: number | null;
}

/** Running and queued operations on the machines (their late flag and forecast end as the scheduler set them). */
export async function operationForecasts(db: Executor, machines: readonly string[]): Promise<OperationForecast[]> {
  if (machines.length === 0) return [];
  const rows = await db
    .selectFrom('operations as o')
    .innerJoin('work_orders as w', 'w.lot', 'o.lot')
    .select(['o.lot', 'o.step', 'o.machine_key', 'o.late', 'o.forecast_end', 'w.due'])
    .where('o.machine_key', 'in', [...machines])
    .where('o.state', 'in', ['running', 'queued'])
    .execute();
  return rows.map((r) => ({
    lot: r.lot, step: Number(r.step), machine: r.machine_key ?? '', late: Number(r.late) === 1,
    forecastEnd: r.forecast_end === null ? null : Number(r.forecast_end), due: r.due === null ? null : Number(r.due),
  }));
}

/** Finished steps with a gate whose signature is still missing, on the machines. */
export async function gatesWaiting(db: Executor, machines: readonly string[]): Promise<{ lot: string; step: number; machine: string; gate: string; since: number }[]> {
  if (machines.length === 0) return [];
  const rows = await db
    .selectFrom('operations as o')
    .innerJoin('work_orders as w', 'w.lot', 'o.lot')
    .innerJoin('routing_steps as r', (join) => join.onRef('r.product_key', '=', 'w.product_key').onRef('r.step_index', '=', 'o.step'))
    .leftJoin('gate_passes as g', (join) => join.onRef('g.lot', '=', 'o.lot').onRef('g.step', '=', 'o.step'))
    .select(['o.lot', 'o.step', 'o.machine_key', 'r.gate_name', 'o.actual_end'])
    .where('r.gate_name', 'is not', null)
    .where('o.state', '=', 'done')
    .where('o.actual_end', 'is not', null)
    .where('g.lot', 'is', null)
    .where('o.machine_key', 'in', [...machines])
    .execute();
  return rows.map((r) => ({ lot: r.lot, step: Number(r.step), machine: r.machine_key ?? '', gate: r.gate_name ?? '', since: Number(r.actual_end) }));
}

export async function scopeExists(db: Executor, scope: 'machine' | 'group', key: string): Promise<boolean> {
  if (scope === 'machine') return (await db.selectFrom('machines').select('key').where('key', '=', key).executeTakeFirst()) !== undefined;
  return (await db.selectFrom('process_groups').select('key').where('key', '=', key).executeTakeFirst()) !== undefined;
}
