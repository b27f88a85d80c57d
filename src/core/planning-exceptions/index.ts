// Plan exceptions (issue 15 item 4): what needs a planner, computed from the live plan — late work
// orders with their cause, overloaded machines per ISO week, parked work orders whose due date is at
// risk, gates nobody can sign or left waiting, and operations in conflict with the calendar.
// Pure: the plan input and result, the plant's names and who may sign come in; "now" is the plan's.
import { indexPlan, type ExceptionsInput } from './context.js';
import { lateWorkOrders } from './late.js';
import { machineOverloads } from './load.js';
import { parkedAtRisk } from './parked.js';
import { gatesWithoutSigner } from './gates.js';
import { calendarConflicts } from './calendar.js';
import { EXCEPTION_KINDS, type ExceptionKind, type ExceptionsReport, type PlanException } from './schema.js';

export * from './schema.js';
export { DEFAULT_DUE_MARGIN_HOURS, DEFAULT_WEEKS_AHEAD, type ExceptionGate, type ExceptionMachine, type ExceptionProduct, type ExceptionsInput, type ExceptionsOptions } from './context.js';
export { OVERLOAD_WARNING_PERCENT, isoWeeksFrom } from './load.js';

/**
 * Every exception, most severe first, then the most urgent (the instant it is about, earliest first;
 * those about no particular instant after), then by id so the order is stable.
 */
export function planExceptions(input: ExceptionsInput): PlanException[] {
  const index = indexPlan(input);
  const late = lateWorkOrders(index);
  const items: PlanException[] = [
    ...late,
    ...machineOverloads(index),
    // a lot already listed as late is not listed again as at risk
    ...parkedAtRisk(index, new Set(late.map((item) => item.lot!))),
    ...gatesWithoutSigner(index),
    ...calendarConflicts(index),
  ];
  return items.sort(compareExceptions);
}

export function compareExceptions(a: PlanException, b: PlanException): number {
  const severity = (s: PlanException['severity']) => (s === 'critical' ? 0 : 1);
  return severity(a.severity) - severity(b.severity) || (a.at ?? Infinity) - (b.at ?? Infinity) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export function countByKind(items: readonly PlanException[]): Record<ExceptionKind, number> {
  const counts = Object.fromEntries(EXCEPTION_KINDS.map((kind) => [kind, 0])) as Record<ExceptionKind, number>;
  for (const item of items) counts[item.kind] += 1;
  return counts;
}

export function exceptionsReport(input: ExceptionsInput): ExceptionsReport {
  const items = planExceptions(input);
  return { generatedAt: input.plan.now, counts: countByKind(items), items };
}
