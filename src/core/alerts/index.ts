// Alert rules, pure: whether a rule's condition holds for a subject at "now", and what to do with
// the subject's open alert (raise, keep, start clearing, resolve). Hysteresis: an alert resolves only
// once its condition stayed clear for the rule's clear minutes, so a line that starts and stops
// again at once keeps one alert; the hourly cap bounds the mails of a rule whatever happens.
import { z } from 'zod';

export const ALERT_KINDS = ['stopped', 'rate-below', 'late', 'no-data', 'gate-waiting', 'spc', 'maintenance'] as const;
/**
 * Kinds whose condition another feature works out (a control-chart rule broken on a channel, a
 * maintenance suggestion): the engine asks the source it was given and applies the same hysteresis,
 * cap and mail as for the others.
 */
export const SIGNAL_KINDS = ['spc', 'maintenance'] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];
export type AlertKind = (typeof ALERT_KINDS)[number];

const MS_PER_MINUTE = 60_000;

/** A rule as an administrator writes it (the gate rule's duration is in hours, the others' in minutes). */
export const alertRuleInputSchema = z
  .object({
    kind: z.enum(ALERT_KINDS),
    scope: z.enum(['machine', 'group']),
    scopeKey: z.string().trim().min(1).max(64),
    /** minutes the condition must hold (stopped, rate-below, no-data) */
    minutes: z.number().min(0, { message: 'must be 0 or more' }).max(100_000).optional(),
    /** gate-waiting: hours a gate may wait for its signature */
    hours: z.number().min(0, { message: 'must be 0 or more' }).max(10_000).optional(),
    /** rate-below: % of the standard rate */
    percent: z.number().min(0, { message: 'must be 0 or more' }).max(1000).optional(),
    clearMinutes: z.number().min(0, { message: 'must be 0 or more' }).max(1440).default(2),
    capPerHour: z.number().int().min(0, { message: 'must be 0 or more' }).max(1000).default(4),
    role: z.string().max(20).nullable().default(null),
    enabled: z.boolean().default(true),
  })
  .superRefine((rule, ctx) => {
    if (rule.kind === 'gate-waiting' && rule.hours === undefined) ctx.addIssue({ code: 'custom', path: ['hours'], message: 'is required for a gate-waiting rule' });
    if (rule.kind === 'rate-below' && rule.percent === undefined) ctx.addIssue({ code: 'custom', path: ['percent'], message: 'is required for a rate-below rule' });
    if ((rule.kind === 'stopped' || rule.kind === 'no-data' || rule.kind === 'rate-below') && rule.minutes === undefined) {
      ctx.addIssue({ code: 'custom', path: ['minutes'], message: `is required for a ${rule.kind} rule` });
    }
  });
export type AlertRuleInput = z.infer<typeof alertRuleInputSchema>;

/** The part of a rule the engine needs. */
export interface RuleSpec {
  id: number;
  kind: AlertKind;
  /** duration in minutes (hours × 60 for gate-waiting) */
  minutes: number;
  percent: number | null;
  clearMinutes: number;
  capPerHour: number;
}

/** What a rule sees of one subject at "now". */
export type Observation =
  /** stopped / no-data: the last part (stopped) or the last cycle (no-data); workingSince = start of the current working interval, null off shift */
  | { kind: 'stopped' | 'no-data'; lastAt: number | null; workingSince: number | null }
  /** rate-below: parts in the last `minutes` of working time vs the standard rate */
  | { kind: 'rate-below'; parts: number; windowMinutes: number; standardPerHour: number | null; runningSince: number | null }
  | { kind: 'late'; late: boolean; forecastEnd: number | null; due: number | null }
  | { kind: 'gate-waiting'; waitingSince: number | null }
  /** spc / maintenance: what the signal's source says now */
  | { kind: 'signal'; active: boolean; since: number | null; detail: string };

export interface Condition {
  holds: boolean;
  /** since when it holds (a stop's start) */
  since: number | null;
  /** for the message */
  detail: string;
  /** off shift: nothing is judged (an open stop alert neither resolves nor is raised again) */
  paused?: boolean;
}

export function condition(rule: RuleSpec, observation: Observation, now: number): Condition {
  const needMs = rule.minutes * MS_PER_MINUTE;
  switch (observation.kind) {
    case 'stopped':
    case 'no-data': {
      if (observation.workingSince === null) return { holds: false, since: null, detail: 'off shift', paused: true };
      // time off shift does not count: a stop that began last night counts from the start of this shift
      const since = Math.max(observation.lastAt ?? observation.workingSince, observation.workingSince);
      const holds = now - since >= needMs && now - since > 0;
      const what = observation.kind === 'stopped' ? 'stopped' : 'no data';
      return { holds, since: holds ? since : null, detail: `${what} for ${formatDuration(now - since)}` };
    }
    case 'rate-below': {
      if (!observation.standardPerHour || observation.windowMinutes <= 0 || observation.runningSince === null) return { holds: false, since: null, detail: 'no standard rate' };
      const perHour = (observation.parts * 60) / observation.windowMinutes;
      const percent = (100 * perHour) / observation.standardPerHour;
      const holds = percent < (rule.percent ?? 0) && observation.windowMinutes >= rule.minutes;
      return { holds, since: holds ? now - observation.windowMinutes * MS_PER_MINUTE : null, detail: `rate ${Math.round(percent)} % of standard (${Math.round(perHour)}/h)` };
    }
    case 'late': {
      const holds = observation.late || (observation.forecastEnd !== null && observation.due !== null && observation.forecastEnd > observation.due);
      const detail = observation.forecastEnd !== null && observation.due !== null ? `finish ${formatDuration(observation.forecastEnd - observation.due)} after due` : 'forecast after due date';
      return { holds, since: holds ? now : null, detail };
    }
    case 'signal': {
      const holds = observation.active && observation.since !== null && now - observation.since >= needMs;
      return { holds, since: holds ? observation.since : null, detail: observation.detail };
    }
    case 'gate-waiting': {
      const since = observation.waitingSince;
      const holds = since !== null && now - since >= needMs;
      return { holds, since: holds ? since : null, detail: since === null ? 'signed' : `waiting for its signature for ${formatDuration(now - since)}` };
    }
  }
}

export interface OpenAlertState {
  id: number;
  clearSince: number | null;
}

export type Decision =
  | { action: 'none' }
  | { action: 'raise'; since: number }
  /** the condition holds again: forget a clearing that had begun */
  | { action: 'hold' }
  | { action: 'clearing'; since: number }
  | { action: 'resolve' };

export function decide(rule: RuleSpec, cond: Condition, open: OpenAlertState | null, now: number): Decision {
  if (cond.paused) return { action: 'none' };
  if (open === null) return cond.holds && cond.since !== null ? { action: 'raise', since: cond.since } : { action: 'none' };
  if (cond.holds) return open.clearSince === null ? { action: 'none' } : { action: 'hold' };
  const clearSince = open.clearSince ?? now;
  if (now - clearSince >= rule.clearMinutes * MS_PER_MINUTE) return { action: 'resolve' };
  return open.clearSince === null ? { action: 'clearing', since: now } : { action: 'none' };
}

/** Whether a newly raised alert may be mailed: fewer than capPerHour mailed alerts of the rule in the last hour. */
export function mayMail(rule: RuleSpec, mailedInLastHour: number): boolean {
  return mailedInLastHour < rule.capPerHour;
}

/** Back-off of the mail worker: 30 s, 1 min, 2 min … at most an hour. */
export function retryDelayMs(attempts: number, baseMs = 30_000): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / MS_PER_MINUTE));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${minutes % 60} min`;
}
