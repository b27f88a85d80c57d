// Pieces the admin editors share: the save/cancel footer, the "someone else changed it" banner and
// the toolbar above each table.
import type { ReactNode } from 'react';
import { ApiError } from '../../api/client.js';
import { ErrorBanner } from '../../components/feedback.js';
import { NumberField } from '../../components/field.js';
import type { SubmitState } from '../../lib/forms.js';

export function FormFooter({ busy, onCancel, submitLabel, formId }: { busy: boolean; onCancel: () => void; submitLabel: string; formId: string }) {
  return (
    <>
      <button type="button" className="button" onClick={onCancel} disabled={busy} data-testid="form-cancel">
        Cancel
      </button>
      <button type="submit" form={formId} className="button button-primary" disabled={busy} data-testid="form-save">
        {busy ? <span className="spinner spinner-small" aria-hidden="true" /> : null}
        {submitLabel}
      </button>
    </>
  );
}

/**
 * A form-level error. For a stale version it says what happened and offers to load the other
 * person's version; the user's input stays in the form until they choose to.
 */
export function FormErrorBanner({ error, entity, onReload }: { error: Error | null; entity: string; onReload?: () => void }) {
  if (!error) return null;
  if (error instanceof ApiError && error.isStale && onReload) {
    return (
      <ErrorBanner
        testId="stale-banner"
        message={`Someone else changed this ${entity} while you were editing it, so your changes were not saved. Load their version to see what changed, then make your edit again.`}
        action={
          <button type="button" className="button" onClick={onReload} data-testid="stale-reload">
            Load latest version
          </button>
        }
      />
    );
  }
  return <ErrorBanner message={error.message} testId="form-error" />;
}

export function TableToolbar({ count, noun, children }: { count: number | undefined; noun: string; children: ReactNode }) {
  return (
    <div className="table-toolbar">
      <span className="muted">{count === undefined ? '' : `${count} ${noun}${count === 1 ? '' : 's'}`}</span>
      <div className="button-row">{children}</div>
    </div>
  );
}

export function RowActions({ onEdit, onDelete, name }: { onEdit: () => void; onDelete: () => void; name: string }) {
  return (
    <div className="row-actions">
      <button type="button" className="button button-small" onClick={onEdit} data-testid={`edit-${name}`}>
        Edit
      </button>
      <button type="button" className="button button-small button-danger-outline" onClick={onDelete} data-testid={`delete-${name}`}>
        Delete
      </button>
    </div>
  );
}

/** The "Sort order" field of the machine and process-group forms: a whole number, its message on the field. */
export function SortOrderField({ value, onChange, submit, locale, hint }: {
  value: string;
  onChange: (text: string) => void;
  submit: Pick<SubmitState, 'fieldErrors' | 'setFieldError'>;
  locale: string;
  hint: string;
}) {
  return (
    <NumberField
      label="Sort order"
      name="sortOrder"
      value={value}
      onChange={onChange}
      setError={(message) => submit.setFieldError('sortOrder', message)}
      error={submit.fieldErrors.sortOrder}
      hint={hint}
      locale={locale}
      integer
      showSaved={false}
      inputClassName="input-short"
      testId="input-sortOrder"
    />
  );
}
