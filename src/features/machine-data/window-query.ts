// Query parameters shared by the OEE, stops and production endpoints: machines and a window.
// from/to: epoch ms, an ISO date-time with offset, or plant-local ISO ('2022-10-11T06:00');
// both are floored to the whole minute (derived data is per minute). Defaults: to = now (rounded
// up to the minute), from = 24 h before to. Machine data's lots route and the OEE routes above it use it.
import { z } from 'zod';
import { keySchema } from '../plant/schemas.js';
import { DateTime } from 'luxon';
import { floorTo, MS_PER_DAY, MS_PER_MINUTE, parseExactInstant } from '../../core/time.js';

export const MAX_WINDOW_DAYS = 5 * 366;
export const MAX_MACHINES = 20;

const instantText = z.string().trim().min(1).max(40);

/**
 * An exact instant in a path or query (a stop's start, a shift's start): epoch ms or ISO 8601,
 * plant-local when it carries no offset — not floored. `what` names it in the message.
 */
export function exactInstantSchema(zone: string, what: string) {
  return instantText.transform((value, ctx) => {
    const instant = parseExactInstant(value, zone);
    if (instant === null) {
      ctx.addIssue({ code: 'custom', message: `must be ${what} as epoch ms or ISO 8601` });
      return z.NEVER;
    }
    return instant;
  });
}

/** 'line7,line8' → ['line7', 'line8'] (1–20 known-looking keys, duplicates dropped). */
export const machineListSchema = z
  .string()
  .transform((value) => [...new Set(value.split(',').map((key) => key.trim()).filter(Boolean))])
  .pipe(z.array(keySchema).min(1, 'name at least one machine, e.g. machine=line7').max(MAX_MACHINES, `at most ${MAX_MACHINES} machines`));

/** The window part of a query schema, resolved in the plant's zone; errors land on query.from / query.to. */
export function windowFields(zone: string, now: () => number = Date.now) {
  return {
    shape: { from: instantText.optional(), to: instantText.optional() },
    resolve<T extends { from?: string; to?: string }>(query: T, ctx: z.RefinementCtx): (Omit<T, 'from' | 'to'> & { from: number; to: number }) | typeof z.NEVER {
      const parse = (field: 'from' | 'to', value: string | undefined): number | null | undefined => {
        if (value === undefined) return undefined;
        const instant = parseInstant(value, zone);
        if (instant === null) ctx.addIssue({ code: 'custom', path: [field], message: `'${value}' is not a date-time (epoch ms, ISO 8601, or plant-local like 2022-10-11T06:00)` });
        return instant;
      };
      const from = parse('from', query.from);
      const to = parse('to', query.to);
      if (from === null || to === null) return z.NEVER;
      const end = to ?? Math.ceil(now() / MS_PER_MINUTE) * MS_PER_MINUTE;
      const start = from ?? end - MS_PER_DAY;
      if (!(end > start)) {
        ctx.addIssue({ code: 'custom', path: ['to'], message: `must be after from (${new Date(start).toISOString()}); both are floored to the minute` });
        return z.NEVER;
      }
      if (end - start > MAX_WINDOW_DAYS * MS_PER_DAY) {
        ctx.addIssue({ code: 'custom', path: ['to'], message: `the window is limited to ${MAX_WINDOW_DAYS} days` });
        return z.NEVER;
      }
      return { ...query, from: start, to: end };
    },
  };
}

/** Epoch ms, an ISO date-time with offset, or a plant-local ISO date(-time) → UTC ms, floored to the minute. */
export function parseInstant(value: string, zone: string): number | null {
  const trimmed = value.trim();
  if (/^\d{1,15}$/.test(trimmed)) return floorTo(Number(trimmed), MS_PER_MINUTE);
  const parsed = DateTime.fromISO(trimmed, { zone });
  return parsed.isValid ? floorTo(parsed.toMillis(), MS_PER_MINUTE) : null;
}
