// Operations in conflict with the calendar. The scheduler only plans in working time, so a planned
// start outside it cannot happen; what can: a job under way on a machine that has no working time
// in the next 24 hours (it will sit half-done until the next shift), and jobs queued or running on a
// machine that is disabled (nothing may be loaded there, yet the plan still runs them).
import { MS_PER_DAY } from '../time.js';
import type { CalendarConflictException } from './schema.js';
import { formatInstant, groupOf, lotLabel, stepLabel, workingMsBetween, type PlanIndex } from './context.js';

const LOOKAHEAD_MS = MS_PER_DAY;
const NEXT_WORKING_SEARCH_MS = 14 * MS_PER_DAY;

export function calendarConflicts(index: PlanIndex): CalendarConflictException[] {
  const found: CalendarConflictException[] = [];
  const { now } = index;
  const quietTomorrow = workingMsBetween(index, now, now + LOOKAHEAD_MS) === 0;
  const nextWorking = quietTomorrow ? (index.input.plan.working(now, now + NEXT_WORKING_SEARCH_MS)[0]?.start ?? null) : null;

  for (const workOrder of index.input.plan.workOrders) {
    for (const input of workOrder.operations) {
      if (input.machine === null || input.state === 'done' || input.state === 'parked' || input.state === 'held') continue;
      const machine = index.machines.get(input.machine);
      if (!machine) continue;
      const planned = index.operations.get(workOrder.lot)?.[input.step];
      const under = input.state === 'running' || input.produced > 0;
      const what = `${stepLabel(input.step)} of ${lotLabel(index, workOrder.lot).replace(/^Lot/, 'lot')}`;
      if (!machine.enabled) {
        found.push({
          kind: 'calendar-conflict',
          id: `disabled:${workOrder.lot}:${input.step}`,
          severity: 'critical',
          message: `${machine.name} is disabled but ${what} is ${under ? 'running' : 'queued'} on it${planned?.start != null ? `, planned from ${formatInstant(index, planned.start)}` : ''}: move it or enable the machine.`,
          lot: workOrder.lot,
          step: input.step,
          machine: machine.key,
          group: machine.group,
          at: planned?.start ?? null,
          reason: 'machine-disabled',
          nextWorking: null,
        });
      } else if (under && quietTomorrow) {
        found.push({
          kind: 'calendar-conflict',
          id: `no-working-time:${workOrder.lot}:${input.step}`,
          severity: 'warning',
          message: `${what.charAt(0).toUpperCase()}${what.slice(1)} is under way on ${machine.name}, which has no working time in the next 24 h: it stands half-done until ${nextWorking === null ? 'a shift is planned (none in the next two weeks)' : formatInstant(index, nextWorking)}.`,
          lot: workOrder.lot,
          step: input.step,
          machine: machine.key,
          group: groupOf(index, workOrder.lot, input.step) ?? machine.group,
          at: now,
          reason: 'no-working-time',
          nextWorking,
        });
      }
    }
  }
  return found;
}
