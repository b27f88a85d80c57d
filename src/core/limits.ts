// What every database can store, so one rule holds on all three dialects: validate to the strictest.
// PostgreSQL refuses the NUL character in text (SQLite and MySQL keep it) and its `integer` columns
// are 32-bit (SQLite's are 64-bit): both used to surface as 500s on PostgreSQL only.
import { z } from 'zod';
import type { FieldError } from './errors.js';

export const INT32_MIN = -2_147_483_648;
export const INT32_MAX = 2_147_483_647;

/** A whole number that fits an `integer` column on every database; narrow further with .min/.max. */
export const int32 = () => z.number().int('must be a whole number').min(INT32_MIN).max(INT32_MAX, `must be at most ${INT32_MAX}`);
/** The same for numbers read from a query string or path. */
export const int32FromText = () => z.coerce.number().int('must be a whole number').min(INT32_MIN).max(INT32_MAX, `must be at most ${INT32_MAX}`);

export const NUL_MESSAGE = 'must not contain a NUL character (\\u0000)';

/**
 * Every string in `value` (request body, query or path parameters, nested in objects and arrays) that
 * contains NUL, as field errors named like the validation errors (`body.notes`, `query.search`).
 * Bounded in depth and in the number of fields reported.
 */
export function nulFields(value: unknown, path: string, found: FieldError[] = [], depth = 0): FieldError[] {
  if (found.length >= 20 || depth > 64) return found;
  if (typeof value === 'string') {
    if (value.includes('\u0000')) found.push({ path, message: NUL_MESSAGE });
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => nulFields(item, `${path}.${i}`, found, depth + 1));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('\u0000')) found.push({ path: `${path}.${key.replace(/\u0000/g, '\\u0000')}`, message: NUL_MESSAGE });
      nulFields(item, `${path}.${key}`, found, depth + 1);
    }
  }
  return found;
}
