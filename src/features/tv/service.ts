// The andon / TV view (issue 12 item 3): per machine of the groups asked, its state by the one
// machine-state rule and the calendar (running / stopped for N min / changeover / off shift / no
// data), the running job (lot, product, % done), the rate of the last 15 minutes against the
// routing's standard, the board's forecast end and late flag, and the OEE of the shift so far.
import type { Executor } from '../../db/database.js';
import { Forbidden, Invalid } from '../../core/errors.js';
import { workingIntervals, type Interval } from '../../core/calendar/index.js';
import { loadCalendarSpec } from '../calendar/repository.js';
import * as plantRepo from '../plant/repository.js';
import * as ordersRepo from '../orders/repository.js';
import * as derivedRepo from '../machine-data/derived-repository.js';
import { machineStates } from '../machine-data/machine-state.js';
import { tileState } from '../../core/machine-state/index.js';
import { machinesOee, resolveProfile } from '../oee/service.js';
import type { TvResponse, TvTile } from './schemas.js';

export { tileState };

export const RATE_WINDOW_MS = 15 * 60_000;
const MINUTE = 60_000;
const DAY = 24 * 3600_000;

/** The working interval holding `now`, else the last one before it today (null: none in a day). */
export function currentShift(intervals: readonly Interval[], now: number): { interval: Interval; working: boolean } | null {
  const holding = intervals.find((i) => i.start <= now && now < i.end);
  if (holding) return { interval: holding, working: true };
  const before = intervals.filter((i) => i.end <= now);
  return before.length > 0 ? { interval: before[before.length - 1], working: false } : null;
}

export interface TvScope {
  /** the groups of the device asking; null = a person (every group) */
  allowed: readonly string[] | null;
}

export async function tvView(db: Executor, zone: string, asked: readonly string[], scope: TvScope, now = Date.now()): Promise<TvResponse> {
  const allGroups = await plantRepo.listGroups(db);
  const permitted = scope.allowed === null || scope.allowed.length === 0 ? allGroups : allGroups.filter((g) => scope.allowed!.includes(g.key));
  for (const [index, key] of asked.entries()) {
    if (!allGroups.some((g) => g.key === key)) throw Invalid.field('query.groups', `unknown process group '${key}'${asked.length > 1 ? ` (entry ${index + 1})` : ''}`);
    if (!permitted.some((g) => g.key === key)) throw new Forbidden(`This TV screen may not show process group '${key}' — ask an administrator to add it to the screen.`);
  }
  const groups = asked.length > 0 ? asked.map((key) => permitted.find((g) => g.key === key)!) : permitted;
  const [calendar, products] = await Promise.all([loadCalendarSpec(db), plantRepo.listProducts(db)]);
  const shift = currentShift(workingIntervals(calendar, zone, now - DAY, now + 1), now);
  const productByKey = new Map(products.map((p) => [p.key, p]));
  const result: TvResponse['groups'] = [];
  for (const group of groups) {
    const machines = (await plantRepo.listMachines(db, group.key)).filter((m) => m.enabled);
    const tiles: TvTile[] = [];
    for (const machine of machines) {
      const profile = await resolveProfile(db, machine.oeeProfile, 'machine.oeeProfile');
      const [run] = await machineStates(db, [{ key: machine.key, thresholdMs: profile.availabilityLossSeconds * 1000 }], now);
      const queue = await ordersRepo.machineQueue(db, machine.key);
      const op = queue.find((o) => o.state === 'running') ?? queue[0] ?? null;
      const workOrder = op ? await ordersRepo.getWorkOrder(db, op.lot) : undefined;
      const product = workOrder ? productByKey.get(workOrder.product_key) : undefined;
      const standard = op && product ? (product.routing[op.step]?.ratePerHour ?? null) : null;
      const minutes = await derivedRepo.minuteRows(db, machine.key, Math.floor((now - RATE_WINDOW_MS) / MINUTE) * MINUTE, now + 1);
      const parts = minutes.reduce((sum, m) => sum + m.parts, 0);
      const state = tileState(run.state, shift?.working ?? false, op ? op.produced > 0 : null);
      const quantity = op && workOrder ? workOrder.quantity : null;
      tiles.push({
        machine: machine.key,
        name: machine.name,
        state,
        stateSince: state === 'off-shift' ? (shift?.interval.end ?? null) : run.stateSince,
        stopsAt: run.stopsAt,
        lastCycleAt: run.lastCycleAt,
        lot: op?.lot ?? null,
        product: product ? { key: product.key, shortName: product.shortName, name: product.name, color: product.color } : null,
        quantity,
        produced: op ? op.produced : null,
        done: op && quantity ? Math.min(1, op.produced / quantity) : null,
        ratePerHour: run.lastCycleAt === null ? null : (parts * 3600_000) / RATE_WINDOW_MS,
        standardRatePerHour: standard,
        finish: op?.forecast_end ?? null,
        due: workOrder?.due ?? null,
        late: op !== null && (op.late === 1 || (workOrder?.due != null && op.forecast_end !== null && op.forecast_end > workOrder.due)),
        oee: shift ? await shiftOee(db, zone, machine.key, shift.interval, now) : null,
      });
    }
    result.push({ key: group.key, name: group.name, tiles });
  }
  return { at: now, zone, shift: shift && { from: shift.interval.start, to: Math.min(shift.interval.end, now) }, groups: result };
}

/** OEE of the machine over the shift so far, by the oee service's window figures (whole minutes). */
async function shiftOee(db: Executor, zone: string, machine: string, shift: Interval, now: number): Promise<number | null> {
  const from = Math.floor(shift.start / MINUTE) * MINUTE;
  const to = Math.ceil(Math.min(shift.end, now) / MINUTE) * MINUTE;
  if (to <= from) return null;
  const answer = await machinesOee(db, zone, { machines: [machine], from, to }, now);
  return answer.machines[0]?.totals.oee ?? null;
}
