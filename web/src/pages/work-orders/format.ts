// How work orders read on screen: quantities, plant-local instants, states and colours. Shared by the
// work-order list, the board and the work-order panel so a lot looks the same everywhere.
import { DateTime } from 'luxon';
import type { WorkOrder } from '../../api/orders.js';
import { dueDay } from '../../../../src/core/due.js';

const quantityFormat = new Intl.NumberFormat('en-US');

/** 200000 → "200,000" */
export const formatQuantity = (value: number) => quantityFormat.format(value);

const toMillis = (value: number | string) => (typeof value === 'number' ? value : Date.parse(value));

/** "Tue 24 Nov 14:05" in plant time; the year is added when it is not the current one. */
export function formatInstant(value: number | string | null | undefined, zone: string, nowMs = Date.now()): string {
  if (value === null || value === undefined) return '—';
  const at = DateTime.fromMillis(toMillis(value), { zone });
  const now = DateTime.fromMillis(nowMs, { zone });
  return at.toFormat(at.year === now.year ? 'ccc d LLL HH:mm' : 'ccc d LLL yyyy HH:mm');
}

/** "24 Nov 2026" in plant time. */
export function formatDate(value: number | string | null | undefined, zone: string): string {
  if (value === null || value === undefined) return '—';
  return DateTime.fromMillis(toMillis(value), { zone }).toFormat('d LLL yyyy');
}

/** "Sat 5 Dec" for a due day, "Sat 5 Dec 14:00" for a due time (year added when not this year). */
export function formatDue(value: number | string | null | undefined, zone: string, nowMs = Date.now()): string {
  if (value === null || value === undefined) return '—';
  const { day, timeOfDay } = dueDay(value, zone);
  const thisYear = day.year === DateTime.fromMillis(nowMs, { zone }).year;
  return day.toFormat(`ccc d LLL${thisYear ? '' : ' yyyy'}${timeOfDay ? ' HH:mm' : ''}`);
}

/** The plant-local due day "YYYY-MM-DD" (for a date input). */
export function plantDate(value: number | string | null | undefined, zone: string): string {
  if (value === null || value === undefined) return '';
  return dueDay(value, zone).day.toISODate() ?? '';
}

/** "3 d 4 h", "5 h 10 min", "12 min" — how long until (or since) something. */
export function formatDuration(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 || hours >= 10 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 || days >= 10 ? `${days} d` : `${days} d ${hours % 24} h`;
}

export type DueRisk = 'late' | 'at-risk' | 'overdue' | 'soon' | 'ok' | 'none';

/**
 * How worried a planner should be about a lot's due date: the server's forecast says late, the
 * estimate of its steps not planned yet ends after due (at risk), the due date has passed, or it is
 * less than two days away.
 */
export function dueRisk(due: number | string | null, late: boolean, nowMs: number, lateRisk = false): DueRisk {
  if (late) return 'late';
  if (lateRisk) return 'at-risk';
  if (due === null) return 'none';
  const left = toMillis(due) - nowMs;
  if (left < 0) return 'overdue';
  if (left < 48 * 3_600_000) return 'soon';
  return 'ok';
}

export const STATUS_LABEL: Record<WorkOrder['status'], string> = {
  parked: 'Parked',
  planned: 'Planned',
  'in-progress': 'In progress',
  held: 'Held',
  done: 'Done',
};

export const STATE_LABEL: Record<string, string> = {
  parked: 'Parked',
  queued: 'Queued',
  running: 'Running',
  done: 'Done',
  held: 'Held',
};

/** Black or white, whichever reads better on `hex` (WCAG relative luminance). */
export function textColourOn(hex: string): '#0b1526' | '#ffffff' {
  const match = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) return '#ffffff';
  const channel = (h: string) => {
    const c = parseInt(h, 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(match[1]) + 0.7152 * channel(match[2]) + 0.0722 * channel(match[3]);
  // contrast against white vs against near-black: pick the larger
  const withWhite = 1.05 / (luminance + 0.05);
  const withBlack = (luminance + 0.05) / 0.0585;
  return withWhite >= withBlack ? '#ffffff' : '#0b1526';
}

/** Progress 0..1 of produced over quantity. */
export const progressOf = (produced: number, quantity: number) => (quantity > 0 ? Math.min(1, Math.max(0, produced / quantity)) : 0);

/** "good after step 1 (Pouching – iTrak)": which step the work order's progress figure counts. */
export function progressStep(wo: Pick<WorkOrder, 'producedStep' | 'operations'>): string {
  if (wo.producedStep === null) return 'nothing produced yet';
  const op = wo.operations.find((o) => o.step === wo.producedStep);
  return `good after step ${wo.producedStep + 1}${op ? ` (${op.groupName})` : ''}`;
}

/** "48,000 good after step 1 (Pouching – iTrak)" */
export const progressBasis = (wo: Pick<WorkOrder, 'produced' | 'producedStep' | 'operations'>) =>
  wo.producedStep === null ? 'nothing produced yet' : `${formatQuantity(wo.produced)} ${progressStep(wo)}`;

/** How far the plan of an order reaches: its forecast end, or the end of its last planned step. */
export function plannedReach(wo: Pick<WorkOrder, 'forecastEnd' | 'operations'>): { at: string; step: number; complete: boolean } | null {
  if (wo.forecastEnd) return { at: wo.forecastEnd, step: wo.operations.length - 1, complete: true };
  const planned = wo.operations.filter((o) => o.forecastEnd !== null);
  const last = planned[planned.length - 1];
  return last?.forecastEnd ? { at: last.forecastEnd, step: last.step, complete: false } : null;
}
