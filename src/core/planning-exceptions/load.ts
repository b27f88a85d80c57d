// Machine load per ISO week. A forward plan never puts more working time on a machine than the week
// has (that is what finite capacity means): overload shows as work pushed past its due date. So a
// week's load counts the working hours planned in it plus the working hours of the machine's work
// that is due in that week but planned after it — the work the week would need to stay on time; work
// already overdue counts in the current week — so one late job makes one week overloaded, not all
// against the machine's working time that week (from now for the current week; none while the
// machine is disabled). Over 100 % is an overload, from 95 % a warning.
import { DateTime } from 'luxon';
import type { MachineOverloadException } from './schema.js';
import { DEFAULT_WEEKS_AHEAD, formatHours, hours, workingMsBetween, type PlanIndex } from './context.js';
import { MS_PER_MINUTE } from '../time.js';

export const OVERLOAD_WARNING_PERCENT = 95;

interface Week {
  key: string;
  start: number;
  end: number;
}

export function isoWeeksFrom(now: number, zone: string, count: number): Week[] {
  const weeks: Week[] = [];
  let monday = DateTime.fromMillis(now, { zone }).startOf('week');
  for (let i = 0; i < count; i++) {
    const next = monday.plus({ weeks: 1 });
    weeks.push({ key: `${monday.weekYear}-W${String(monday.weekNumber).padStart(2, '0')}`, start: monday.toMillis(), end: next.toMillis() });
    monday = next;
  }
  return weeks;
}

export function machineOverloads(index: PlanIndex): MachineOverloadException[] {
  const weeks = isoWeeksFrom(index.now, index.zone, index.input.options?.weeksAhead ?? DEFAULT_WEEKS_AHEAD);
  const found: MachineOverloadException[] = [];
  for (const machine of index.input.machines) {
    const sequence = index.machineSequence.get(machine.key) ?? [];
    if (sequence.length === 0) continue;
    for (const week of weeks) {
      const from = Math.max(week.start, index.now);
      const availableMs = machine.enabled ? workingMsBetween(index, from, week.end) : 0;
      let plannedMs = 0;
      let dueLaterMs = 0;
      for (const op of sequence) {
        if (op.start! < week.end && op.end! > from) plannedMs += workingMsBetween(index, Math.max(op.start!, from), Math.min(op.end!, week.end));
        const due = index.workOrders.get(op.lot)?.due ?? null;
        // due in this week (or already overdue, for the current week): counted once, not again in every later week
        const dueThisWeek = due !== null && due < week.end && (due >= week.start || week.start <= index.now);
        if (dueThisWeek && op.end! > week.end) dueLaterMs += workingMsBetween(index, Math.max(op.start!, week.end), op.end!);
      }
      const neededMs = plannedMs + dueLaterMs;
      if (neededMs <= 0) continue;
      // a minute of slack: planned time equal to the week's is full, not over
      const over = neededMs > availableMs + MS_PER_MINUTE;
      const percent = availableMs > 0 ? Math.round((neededMs / availableMs) * 1000) / 10 : null;
      if (!over && (percent === null || percent < OVERLOAD_WARNING_PERCENT)) continue;
      const load = percent === null ? 'has no working time left' : `is loaded ${percent} %`;
      const detail = dueLaterMs > 0 ? `, ${formatHours(dueLaterMs)} of it due that week but planned later` : '';
      found.push({
        kind: 'machine-overload',
        id: `overload:${machine.key}:${week.key}`,
        severity: over ? 'critical' : 'warning',
        message: `${machine.name} ${load} in week ${week.key}: ${formatHours(neededMs)} of work for ${formatHours(availableMs)} of working time${detail}${machine.enabled ? '' : ' (the machine is disabled)'}.`,
        lot: null,
        step: null,
        machine: machine.key,
        group: machine.group,
        at: from,
        week: week.key,
        weekStart: week.start,
        availableHours: hours(availableMs),
        plannedHours: hours(plannedMs),
        dueLaterHours: hours(dueLaterMs),
        loadPercent: percent,
      });
    }
  }
  return found;
}
