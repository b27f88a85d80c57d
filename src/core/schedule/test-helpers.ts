// Builders shared by the scheduler tests: a real site calendar (the calendar core) and compact
// work-order literals, so each test states only what it is about.
import { DateTime } from 'luxon';
import { workingIntervals, type CalendarSpec, type WeekPattern } from '../calendar/index.js';
import type { PlanInput, PlanOperationInput, PlanWorkOrder, RoutingStep } from './types.js';

export const ZONE = 'America/Los_Angeles';

/** Two shifts Mon–Fri, 06:30–15:00 and 15:00–23:00: 16.5 working hours a day (touching, so one block). */
export const TWO_SHIFTS: WeekPattern = {
  mon: [['06:30', '15:00'], ['15:00', '23:00']],
  tue: [['06:30', '15:00'], ['15:00', '23:00']],
  wed: [['06:30', '15:00'], ['15:00', '23:00']],
  thu: [['06:30', '15:00'], ['15:00', '23:00']],
  fri: [['06:30', '15:00'], ['15:00', '23:00']],
  sat: [],
  sun: [],
};

/** One shift Mon–Fri, 06:30–15:00: 8.5 working hours a day. */
export const DAY_SHIFT: WeekPattern = {
  mon: [['06:30', '15:00']],
  tue: [['06:30', '15:00']],
  wed: [['06:30', '15:00']],
  thu: [['06:30', '15:00']],
  fri: [['06:30', '15:00']],
  sat: [],
  sun: [],
};

/** Plant-local wall-clock time → UTC ms (Luxon, DST-correct). */
export function local(text: string, zone = ZONE): number {
  const instant = DateTime.fromISO(text, { zone });
  if (!instant.isValid) throw new Error(`bad test instant ${text}`);
  return instant.toMillis();
}

export function iso(instant: number | null): string | null {
  return instant === null ? null : new Date(instant).toISOString();
}

export function calendarSource(calendar: Partial<CalendarSpec> = {}, zone = ZONE): PlanInput['working'] {
  const spec: CalendarSpec = { default: calendar.default ?? TWO_SHIFTS, weeks: calendar.weeks ?? {}, holidays: calendar.holidays ?? [] };
  return (from, to) => workingIntervals(spec, zone, from, to);
}

export function step(group: string, ratePerHour: number, setupMinutes = 0, gateHours = 0): RoutingStep {
  return { group, ratePerHour, setupMinutes, gateHours };
}

export function op(stepIndex: number, machine: string | null, position: number | null, extra: Partial<PlanOperationInput> = {}): PlanOperationInput {
  return { step: stepIndex, machine, position, produced: 0, ...extra };
}

export function workOrder(lot: string, product: string, quantity: number, operations: PlanOperationInput[], extra: Partial<PlanWorkOrder> = {}): PlanWorkOrder {
  return { lot, product, quantity, due: null, operations, ...extra };
}
