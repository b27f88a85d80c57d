// Form plumbing shared by the admin and calendar editors: turning zod issues and server field errors
// into per-field messages, and reading what the user typed into the numbers the schemas expect
// without throwing their text away.
import { useCallback, useState } from 'react';
import type { z } from 'zod';
import { ApiError, type FieldErrors } from '../api/client.js';

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

/** "" → undefined (the schema then says "required" or applies its default); "1,5" is read as 1.5. */
export function numberFromInput(text: string): number | undefined {
  const trimmed = text.trim().replace(',', '.');
  if (trimmed === '') return undefined;
  return Number(trimmed);
}

export function textOf(value: number | null | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}

/** The parsed value, or undefined after handing the problems to `onInvalid`. */
export function validated<S extends z.ZodType>(schema: S, value: unknown, onInvalid: (errors: FieldErrors) => void): z.output<S> | undefined {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  onInvalid(issuesToFieldErrors(parsed.error.issues));
  return undefined;
}

export interface SubmitState {
  busy: boolean;
  fieldErrors: FieldErrors;
  /** an error that belongs to no field shown on the form */
  formError: ApiError | Error | null;
  setFieldErrors: (errors: FieldErrors) => void;
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
  return { busy, fieldErrors, formError, setFieldErrors, clearFormError: () => setFormError(null), run };
}
