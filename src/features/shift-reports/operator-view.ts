// What the operator screen shows for a line and shift in one answer (issue 13 item 2): the shift,
// the current lot and the next job, counts so far, the stops that need a reason, the shift log,
// the previous shift's handover, the reason tree, lots for scrap and people for the crew.
import type { Executor } from '../../db/database.js';
import { NotFound } from '../../core/errors.js';
import { floorTo, MS_PER_MINUTE } from '../../core/time.js';
import { loadCalendarSpec } from '../calendar/repository.js';
import * as plantRepo from '../plant/repository.js';
import * as ordersRepo from '../orders/repository.js';
import * as authRepo from '../auth/repository.js';
import * as derivedRepo from '../machine-data/derived-repository.js';
import { machinesOee, listStops } from '../oee/service.js';
import { currentTree } from '../operator-input/trees.js';
import { viewShiftLog } from '../operator-input/shift-log.js';
import { previousShift, shiftAtOrBefore, shiftsOf, type ShiftWindow } from '../operator-input/shifts.js';
import type { OperatorView } from './schemas.js';
import type { ShiftLogView } from '../operator-input/schemas.js';

export interface OperatorViewOptions {
  zone: string;
  promptSeconds: number;
  /** the shift to show (its start); default: the shift at `now` */
  shiftStart?: number;
  now?: number;
  /** signatures of a shift log (the route adds them; auth's readers are wired in server/app.ts) */
  signatures: (machine: string, shiftStart: number) => Promise<ShiftLogView['signatures']>;
}

const iso = (ms: number) => new Date(ms).toISOString();

async function jobOf(db: Executor, op: ordersRepo.OperationRow | undefined) {
  if (!op) return null;
  const wo = await ordersRepo.getWorkOrder(db, op.lot);
  if (!wo) return null;
  const product = (await plantRepo.listProducts(db)).find((p) => p.key === wo.product_key);
  return {
    lot: op.lot, step: Number(op.step), product: wo.product_key, productName: product?.name ?? wo.product_key, quantity: Number(wo.quantity), produced: Number(op.produced),
    good: Number(op.good), state: op.state, forecastEnd: op.forecast_end === null ? null : iso(Number(op.forecast_end)), late: Boolean(op.late),
  };
}

export async function operatorView(db: Executor, machineKey: string, options: OperatorViewOptions): Promise<OperatorView> {
  const now = options.now ?? Date.now();
  const machine = await plantRepo.getMachine(db, machineKey);
  if (!machine) throw new NotFound('machine', machineKey);
  const group = (await plantRepo.listGroups(db)).find((g) => g.key === machine.group);
  const calendar = await loadCalendarSpec(db);
  const shift: ShiftWindow | null =
    options.shiftStart !== undefined ? (shiftsOf(calendar, options.zone, options.shiftStart, options.shiftStart + 1).find((s) => s.start === options.shiftStart) ?? null) : shiftAtOrBefore(calendar, options.zone, now);
  if (!shift) throw new NotFound('shift', options.shiftStart !== undefined ? iso(options.shiftStart) : `before ${iso(now)}`);
  const before = previousShift(calendar, options.zone, shift);
  const after = shiftsOf(calendar, options.zone, shift.end, shift.end + 8 * 86_400_000).find((s) => s.start >= shift.end) ?? null;

  // counts and stops of the shift so far (whole minutes)
  const from = shift.start;
  const to = Math.max(from + MS_PER_MINUTE, Math.min(shift.end, floorTo(now, MS_PER_MINUTE) + MS_PER_MINUTE));
  const oee = (await machinesOee(db, options.zone, { machines: [machineKey], from: floorTo(from, MS_PER_MINUTE), to: floorTo(to, MS_PER_MINUTE) }, now)).machines[0].totals;
  const prompted = await listStops(db, options.zone, { machine: machineKey, from: floorTo(from, MS_PER_MINUTE), to: floorTo(to, MS_PER_MINUTE), minSeconds: options.promptSeconds }, now);
  const promptedSeconds = prompted.stops.reduce((sum, s) => sum + s.countedSeconds, 0);
  const runMinutes = oee.runSeconds > 0 ? (Math.min(now, shift.end) - shift.start) / MS_PER_MINUTE : 0;

  const queue = await ordersRepo.machineQueue(db, machineKey);
  const active = queue.filter((op) => op.state !== 'done');
  const [current, next] = [await jobOf(db, active[0]), await jobOf(db, active[1])];
  const lotsRun = await derivedRepo.listLotCounts(db, [machineKey], shift.start, shift.end);
  const lots = [...new Set([...lotsRun.map((l) => l.lot), ...(current ? [current.lot] : []), ...(next ? [next.lot] : [])])];
  const users = (await authRepo.listUsers(db)).filter((u) => Number(u.active) === 1 && ['operator', 'lead'].includes(u.role));

  const withSignatures = async (s: ShiftWindow) => ({ ...(await viewShiftLog(db, machineKey, s)), signatures: await options.signatures(machineKey, s.start) });
  const tree = await currentTree(db, machine.group);
  return {
    machine: { key: machine.key, name: machine.name, group: machine.group, groupName: group?.name ?? machine.group },
    shift: { start: iso(shift.start), end: iso(shift.end), startMs: shift.start, endMs: shift.end, label: shift.label, running: shift.start <= now && now < shift.end },
    previousShift: before && { start: iso(before.start), startMs: before.start, label: before.label },
    nextShiftStartMs: after?.start ?? null,
    current,
    next,
    counts: {
      parts: oee.parts, good: oee.good, reworks: oee.reworks, rejects: oee.rejects, ratePerMinute: runMinutes > 0 ? Math.round((oee.parts / runMinutes) * 10) / 10 : null,
      oee: oee.oee, availability: oee.availability, performance: oee.performance, quality: oee.quality,
    },
    stops: prompted.stops,
    openStops: prompted.stops.filter((s) => s.segments.length === 0).length,
    minorStops: { count: Math.max(0, oee.stops.count - prompted.stops.length), seconds: Math.max(0, Math.round(oee.stops.seconds - promptedSeconds)) },
    promptSeconds: options.promptSeconds,
    log: await withSignatures(shift),
    handover: before ? await withSignatures(before) : null,
    tree: { ...tree, createdAt: tree.createdAt === null ? null : iso(tree.createdAt) },
    lots,
    people: users.map((u) => ({ username: u.username, name: u.display_name || u.username, role: u.role })),
  };
}
