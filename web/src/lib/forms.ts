// Form plumbing shared by the admin, calendar and work-order editors: turning zod issues and server
// field errors into per-field messages (each cleared as soon as its field is changed), and reading
// what the user typed into the numbers the schemas expect — the way the plant writes numbers, with
// the one reader the server's import uses too (src/core/numbers).
import { useCallback, useState } from 'react';
import type { z } from 'zod';
import { formatNumber, numberConventions, readNumber, type NumberReading, type ReadNumberOptions } from '../../../src/core/numbers.js';
import { ApiError, type FieldErrors } from '../api/client.js';
import { useSite } from '../hooks/site.js';

export { formatNumber, numberConventions, readNumber, type NumberReading };

/** How numbers are read and shown: the site's locale when it names one (QMFG_LOCALE), else the browser's. */
export function numberLocale(siteLocale?: string): string {
  return siteLocale || (typeof navigator !== 'undefined' && navigator.language) || 'en-US';
}

export function useNumberLocale(): string {
  return numberLocale(useSite().data?.locale);
}

/**
 * Collects a form's numbers: `read` gives the value for the schema (undefined when empty or
 * unreadable) and keeps the message of each unreadable one under its field path, for `validated`.
 */
export class NumberReader {
  readonly errors: FieldErrors = {};
  constructor(readonly locale: string) {}
  read(path: string, text: string, options: ReadNumberOptions = {}): number | undefined {
    const reading = readNumber(text, this.locale, options);
    if (reading.kind === 'invalid') this.errors[path] = reading.message;
    return reading.kind === 'number' ? reading.value : undefined;
  }
}

/** "30,000" → "= 30,000 units" under the field; nothing while the text is empty or unreadable. */
export function numberPreview(text: string, locale: string, options: ReadNumberOptions & { unit?: string } = {}): string | undefined {
  const reading = readNumber(text, locale, options);
  if (reading.kind !== 'number') return undefined;
  return `Will be saved as ${formatNumber(reading.value, locale)}${options.unit ? ` ${options.unit}` : ''}`;
}

/** The problem of an unreadable number, for showing when the user leaves the field. */
export function numberProblem(text: string, locale: string, options: ReadNumberOptions = {}): string | undefined {
  const reading = readNumber(text, locale, options);
  return reading.kind === 'invalid' ? reading.message : undefined;
}

/** Issues of a client-side parse, keyed like the server's ("routing.1.ratePerHour"). */
export function issuesToFieldErrors(issues: readonly z.core.$ZodIssue[]): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of issues) {
    const path = issue.path.map(String).join('.');
    if (path in fields) continue;
    fields[path] = friendlyMessage(issue);
  }
  return fields;
}

function friendlyMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.expected === 'number') return 'enter a number';
  if (issue.code === 'invalid_type') return 'required';
  if (issue.code === 'invalid_value' && 'values' in issue) return `choose one of ${issue.values.map(String).join(', ')}`;
  return issue.message;
}

/** A stored number as the user edits it: the locale's decimal mark, no thousands separators ("1234.5", "1234,5"). */
export function textOf(value: number | null | undefined, locale = 'en-US'): string {
  if (value === null || value === undefined) return '';
  return new Intl.NumberFormat(locale, { useGrouping: false, maximumFractionDigits: 20 }).format(value);
}

/**
 * The parsed value, or undefined after handing the problems to `onInvalid`: the schema's, with the
 * messages of numbers that could not be read (`numberErrors`) in place of its "required".
 */
export function validated<S extends z.ZodType>(schema: S, value: unknown, onInvalid: (errors: FieldErrors) => void, numberErrors: FieldErrors = {}): z.output<S> | undefined {
  const parsed = schema.safeParse(value);
  if (parsed.success && Object.keys(numberErrors).length === 0) return parsed.data;
  onInvalid({ ...(parsed.success ? {} : issuesToFieldErrors(parsed.error.issues)), ...numberErrors });
  return undefined;
}

export interface SubmitState {
  busy: boolean;
  fieldErrors: FieldErrors;
  /** an error that belongs to no field shown on the form */
  formError: ApiError | Error | null;
  setFieldErrors: (errors: FieldErrors) => void;
  /** sets (or with undefined clears) the message of one field — a field's message goes once the user changes it */
  setFieldError: (path: string, message: string | undefined) => void;
  clearFormError: () => void;
  /** Runs `action`; server field errors land on the fields, anything else in `formError`. */
  run: (action: () => Promise<void>) => Promise<boolean>;
}

export function useSubmit(isShownField: (path: string) => boolean = () => true): SubmitState {
  const [busy, setBusy] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<ApiError | Error | null>(null);
  const run = useCallback(
    async (action: () => Promise<void>) => {
      setBusy(true);
      setFormError(null);
      setFieldErrors({});
      try {
        await action();
        setFieldErrors({});
        return true;
      } catch (error) {
        if (error instanceof ApiError && Object.keys(error.fields).length > 0) {
          setFieldErrors(error.fields);
          const hidden = Object.entries(error.fields).filter(([path]) => !isShownField(path));
          if (hidden.length > 0) setFormError(new ApiError(hidden.map(([path, message]) => `${path}: ${message}`).join('; '), error.status, error.code));
        } else {
          setFormError(error instanceof Error ? error : new Error(String(error)));
        }
        return false;
      } finally {
        setBusy(false);
      }
    },
    [isShownField],
  );
  const setFieldError = useCallback((path: string, message: string | undefined) => {
    setFieldErrors((errors) => {
      if (errors[path] === message) return errors;
      const next = { ...errors };
      if (message === undefined) delete next[path];
      else next[path] = message;
      return next;
    });
  }, []);
  return { busy, fieldErrors, formError, setFieldErrors, setFieldError, clearFormError: () => setFormError(null), run };
}
