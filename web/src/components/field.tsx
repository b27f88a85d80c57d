// A labelled form field with its hint and its error right under it; a number field also shows the
// value as it will be saved ("Will be saved as 30,000 pieces") while the user types.
import { cloneElement, isValidElement, useId, type ReactElement, type ReactNode } from 'react';
import { numberPreview, numberProblem } from '../lib/forms.js';

export function Field({ label, error, hint, preview, name, children, className }: {
  label: ReactNode;
  /** dotted path of the field, used for the error's test id */
  name: string;
  error?: string;
  hint?: ReactNode;
  /** the value as it will be saved, shown while there is no error */
  preview?: ReactNode;
  children: ReactElement<{ id?: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string }>;
  className?: string;
}) {
  const id = useId();
  const messageId = `${id}-message`;
  const previewId = `${id}-preview`;
  const shownPreview = error ? null : preview;
  const describedBy = [shownPreview ? previewId : null, error || hint ? messageId : null].filter(Boolean).join(' ') || undefined;
  const control = isValidElement(children) ? cloneElement(children, { id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy }) : children;
  return (
    <div className={`field${error ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      {control}
      {shownPreview ? (
        <p className="field-preview" id={previewId} data-testid={`field-preview-${name}`} aria-live="polite">
          {shownPreview}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={messageId} data-testid={`field-error-${name}`}>
          {error}
        </p>
      ) : hint ? (
        <p className="field-hint" id={messageId}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/**
 * A number the user types as text (so "30,000" is not mangled by the browser's number input). The
 * parent keeps the text; a change clears the field's message, leaving the field shows why the
 * text cannot be read, and the value as it will be saved is shown under it.
 */
export function NumberField({ label, name, value, onChange, setError, error, hint, locale, integer, unit, showSaved = true, testId, className, inputClassName }: {
  label: ReactNode;
  name: string;
  value: string;
  onChange: (text: string) => void;
  /** sets or clears this field's message (useSubmit's setFieldError with the path bound) */
  setError: (message: string | undefined) => void;
  error?: string;
  hint?: ReactNode;
  locale: string;
  /** whole units only */
  integer?: boolean;
  /** after the saved value: "pieces", "units/h" */
  unit?: string;
  /** false where the saved value says nothing new (a sort order of 3) */
  showSaved?: boolean;
  testId: string;
  className?: string;
  inputClassName?: string;
}) {
  return (
    <Field label={label} name={name} error={error} hint={hint} preview={showSaved ? numberPreview(value, locale, { integer, unit }) : undefined} className={className}>
      <input
        value={value}
        onChange={(e) => {
          onChange(e.target.value);
          setError(undefined);
        }}
        onBlur={(e) => {
          // only adds a message: a server's message for this value stays until the value changes
          const problem = numberProblem(e.target.value, locale, { integer });
          if (problem) setError(problem);
        }}
        inputMode={integer ? 'numeric' : 'decimal'}
        autoComplete="off"
        className={inputClassName}
        data-testid={testId}
      />
    </Field>
  );
}
