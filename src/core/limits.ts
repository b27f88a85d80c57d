// What every database can store, so one rule holds on all three dialects: validate to the strictest.
// PostgreSQL refuses the NUL character in text (SQLite and MySQL keep it) and its `integer` columns
// are 32-bit (SQLite's are 64-bit): both used to surface as 500s on PostgreSQL only.
import { z } from 'zod';
import type { FieldError } from './errors.js';
import { MS_PER_DAY } from './time.js';

export const INT32_MIN = -2_147_483_648;
export const INT32_MAX = 2_147_483_647;

/** A whole number that fits an `integer` column on every database; narrow further with .min/.max. */
export const int32 = () => z.number().int('must be a whole number').min(INT32_MIN).max(INT32_MAX, `must be at most ${INT32_MAX}`);
/** The same for numbers read from a query string or path. */
export const int32FromText = () => z.coerce.number().int('must be a whole number').min(INT32_MIN).max(INT32_MAX, `must be at most ${INT32_MAX}`);

export const NUL_MESSAGE = 'must not contain a NUL character (\\u0000)';
export const LONE_SURROGATE_MESSAGE =
  'must be well-formed text: it holds half of a UTF-16 surrogate pair (\\uD800–\\uDFFF alone), which would be stored changed';

/** Half of a surrogate pair on its own: UTF-8 cannot encode it, so a database would store U+FFFD instead. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a database could not store this text exactly as sent, or null when it can. */
export function unstorableText(text: string): string | null {
  if (text.includes('\u0000')) return NUL_MESSAGE;
  if (LONE_SURROGATE.test(text)) return LONE_SURROGATE_MESSAGE;
  return null;
}

/**
 * Every string in `value` (request body, query or path parameters, nested in objects and arrays) that
 * no database can store as sent — a NUL character (PostgreSQL refuses it) or a lone surrogate (every
 * database would silently store U+FFFD) — as field errors named like the validation errors
 * (`body.notes`, `query.search`). Object keys are checked too. Bounded in depth and in fields reported.
 */
export function unstorableTextFields(value: unknown, path: string, found: FieldError[] = [], depth = 0): FieldError[] {
  if (found.length >= 20 || depth > 64) return found;
  // a raw uploaded file (Buffer) is bytes, not text fields: walking it key by key took seconds per MB
  // with the event loop blocked; the file's own reader checks its content
  if (ArrayBuffer.isView(value)) return found;
  if (typeof value === 'string') {
    const problem = unstorableText(value);
    if (problem) found.push({ path, message: problem });
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => unstorableTextFields(item, `${path}.${i}`, found, depth + 1));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const keyProblem = unstorableText(key);
      if (keyProblem) found.push({ path: `${path}.${JSON.stringify(key).slice(1, -1)}`, message: keyProblem });
      unstorableTextFields(item, `${path}.${key}`, found, depth + 1);
    }
  }
  return found;
}

// ---- work one request may cause ---------------------------------------------------------------------
// One place for the bounds on what a single request may make the server read, compute and send, so
// no request can stall the others. The numbers come from src/config.ts (QMFG_MAX_*); the checks are
// pure and run on the request's parameters, before any database read.

export interface RequestWorkLimits {
  /** OEE results one answer may hold: machines × (1 total + buckets of the series) */
  oeeResults: number;
  /** machine-days one OEE/production request may cover: machines × days of the window */
  machineDays: number;
}

export const DEFAULT_WORK_LIMITS: RequestWorkLimits = { oeeResults: 10_000, machineDays: 20 * 366 };

/**
 * Requests of one client (a session, else an address) in flight at once, and how many more may
 * wait their turn (first come, first served) before one is refused with 429 + Retry-After.
 */
export interface ClientGateLimits {
  concurrency: number;
  queue: number;
}

export const DEFAULT_CLIENT_GATE: ClientGateLimits = { concurrency: 4, queue: 200 };

/** Work-order lists: a page of this many by default, at most WORK_ORDER_PAGE_MAX (page on with offset). */
export const WORK_ORDER_PAGE_DEFAULT = 500;
export const WORK_ORDER_PAGE_MAX = 5000;


export interface OeeWork {
  machines: number;
  /** window length, ms */
  windowMs: number;
  /** buckets of the series (an upper bound when counted from the parameters), 0 without a series */
  buckets: number;
  /** the grouping, for the message */
  groupBy?: string;
}

/**
 * The field error for an OEE request over the limits, or null: its message names the limit, what
 * was asked and how to narrow the request.
 */
export function oeeWorkRefusal(work: OeeWork, limits: RequestWorkLimits): FieldError | null {
  const days = Math.ceil(work.windowMs / MS_PER_DAY);
  const machineDays = work.machines * days;
  if (machineDays > limits.machineDays) {
    return {
      path: 'query.to',
      message:
        `one request covers at most ${limits.machineDays} machine-days; ${work.machines} machine${work.machines === 1 ? '' : 's'} × ${days} days = ${machineDays}: ` +
        `shorten the window or ask for fewer machines at a time`,
    };
  }
  const results = work.machines * (1 + work.buckets);
  if (results > limits.oeeResults) {
    return {
      path: 'query.groupBy',
      message:
        `one answer holds at most ${limits.oeeResults} OEE results (machines × buckets); ${work.machines} machine${work.machines === 1 ? '' : 's'} × ${work.buckets} ${work.groupBy ?? ''} buckets ` +
        `is about ${results}: choose a coarser groupBy, a shorter window or fewer machines`,
    };
  }
  return null;
}
