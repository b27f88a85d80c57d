// The reason a consequential change needs (closing short, deleting, changing a week's shifts,
// overriding a stop reason, editing a signed record): one field, used in the reason dialog, in the
// signature dialog and in the calendar's apply step, so the question looks the same everywhere.
// The server checks the same rule and answers a missing reason as the field `reason`.
import type { ReactNode } from 'react';
import { REASON_MAX } from '../../../src/core/reasons.js';
import { Field } from './field.js';

export { REASON_MAX };
export const REASON_MISSING = 'Give the reason for this change: it is kept in the audit trail.';

export function ReasonField({ value, onChange, required, error, hint, label, testId = 'reason-input' }: {
  value: string;
  onChange: (value: string) => void;
  required: boolean;
  error?: string;
  hint?: ReactNode;
  label?: string;
  testId?: string;
}) {
  const left = REASON_MAX - value.length;
  return (
    <Field
      label={label ?? (required ? 'Reason' : 'Reason (optional)')}
      name="reason"
      error={error}
      hint={hint ?? (left < 100 ? `${left} characters left` : 'Kept in the audit trail with this change.')}
    >
      <textarea value={value} onChange={(e) => onChange(e.target.value)} rows={3} maxLength={REASON_MAX} data-testid={testId} />
    </Field>
  );
}
