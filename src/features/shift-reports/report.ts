// Shift and weekly line reports (issue 13 item 5): what leads and managers read and sign off —
// counts, OEE, the loss waterfall and reasons, scrap, crew and labour utilisation, notes and the
// signatures with their manifestation. One data shape serves the printable page, the .xlsx and the
// mail sent at shift end.
import type { Executor } from '../../db/database.js';
import { NotFound, Invalid } from '../../core/errors.js';
import { floorTo, MS_PER_MINUTE } from '../../core/time.js';
import { isoWeekRange, isValidIsoWeek } from '../../core/calendar/index.js';
import { loadCalendarSpec } from '../calendar/repository.js';
import * as plantRepo from '../plant/repository.js';
import { machinesOee, listStops } from '../oee/service.js';
import { lossesOf } from '../oee/losses.js';
import { viewShiftLog } from '../operator-input/shift-log.js';
import { shiftsOf, type ShiftWindow } from '../operator-input/shifts.js';
import { cameraProduced } from '../operator-input/reconcile.js';
import { manifestation } from '../auth/signatures.js';
import type { ShiftLogView } from '../operator-input/schemas.js';
import type { ShiftReport, WeekReport } from './report-schemas.js';

export interface ReportOptions {
  zone: string;
  promptSeconds: number;
  signatures: (machine: string, shiftStart: number) => Promise<ShiftLogView['signatures']>;
  now?: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

async function requireMachine(db: Executor, key: string) {
  const machine = await plantRepo.getMachine(db, key);
  if (!machine) throw new NotFound('machine', key);
  return machine;
}

/** The window of a shift that has data so far: whole minutes, ending now while the shift runs. */
function shiftSpan(shift: ShiftWindow, now: number): { from: number; to: number } {
  const from = floorTo(shift.start, MS_PER_MINUTE);
  return { from, to: Math.max(from + MS_PER_MINUTE, floorTo(Math.min(shift.end, now + MS_PER_MINUTE), MS_PER_MINUTE)) };
}

export async function shiftReport(db: Executor, machineKey: string, shiftStart: number, options: ReportOptions): Promise<ShiftReport> {
  const now = options.now ?? Date.now();
  const machine = await requireMachine(db, machineKey);
  const calendar = await loadCalendarSpec(db);
  const shift = shiftsOf(calendar, options.zone, shiftStart, shiftStart + 1).find((s) => s.start === shiftStart);
  if (!shift) throw Invalid.field('params.shift', `no shift of the production calendar starts at ${iso(shiftStart)}`);
  const { from, to } = shiftSpan(shift, now);
  const oee = (await machinesOee(db, options.zone, { machines: [machineKey], from, to }, now)).machines[0];
  const losses = await lossesOf(db, options.zone, { machines: [machineKey], from, to }, now);
  const stops = await listStops(db, options.zone, { machine: machineKey, from, to, minSeconds: options.promptSeconds }, now);
  const log = await viewShiftLog(db, machineKey, shift);
  const signatures = await options.signatures(machineKey, shift.start);
  const camera = await cameraProduced(db, machineKey, shift);
  return {
    machine: { key: machine.key, name: machine.name, group: machine.group },
    shift: { start: iso(shift.start), end: iso(shift.end), label: shift.label },
    profile: oee.profile,
    totals: oee.totals,
    losses: losses.machines[0],
    stops: stops.stops.map((s) => ({ start: s.start, seconds: s.seconds, reason: s.label ?? (s.reason ? s.reason : null), category: s.category, comment: s.comment, by: s.reasonBy })),
    log: { ...log, signatures },
    reconciliation: { reported: log.reportedCount, camera },
    manifestations: signatures.map(manifestation),
  };
}

/** The weekly line report of some machines (a process group or a list) for an ISO week. */
export async function weekReport(db: Executor, machines: readonly string[], week: string, options: ReportOptions): Promise<WeekReport> {
  const now = options.now ?? Date.now();
  if (!isValidIsoWeek(week)) throw Invalid.field('query.week', 'an ISO week like 2026-W48');
  if (machines.length === 0) throw Invalid.field('query.machine', 'name at least one machine or a process group');
  for (const key of machines) await requireMachine(db, key);
  const { from, to } = isoWeekRange(week, options.zone);
  const calendar = await loadCalendarSpec(db);
  const oee = await machinesOee(db, options.zone, { machines: [...machines], from, to, groupBy: 'day' }, now);
  const losses = await lossesOf(db, options.zone, { machines: [...machines], from, to }, now);
  const shifts = shiftsOf(calendar, options.zone, from, to).filter((s) => s.start >= from && s.start < to);
  const reports: WeekReport['shifts'] = [];
  for (const machine of machines) {
    for (const shift of shifts) {
      const log = await viewShiftLog(db, machine, shift);
      if (log.version === 0 && shift.start > now) continue;
      reports.push({
        machine, shift: shift.label, shiftStart: iso(shift.start), state: log.version === 0 ? 'none' : log.state, signedBy: log.signedBy, headCount: log.headCount, crewHours: log.crewHours,
        scrap: log.scrap.reduce((sum, s) => sum + s.quantity, 0), rework: log.scrap.reduce((sum, s) => sum + s.rework, 0), notes: log.notes,
      });
    }
  }
  return {
    week,
    from: iso(from),
    to: iso(to),
    machines: oee.machines.map((m) => ({ machine: m.machine, profile: m.profile, totals: m.totals, days: m.series.map((b) => ({ label: b.label, oee: b.oee, parts: b.parts, good: b.good })) })),
    losses,
    shifts: reports,
  };
}
