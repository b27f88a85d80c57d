// The one screen every admin tab is: a toolbar with a count and "New …", a table of records, a side
// panel to create or edit one (with the "someone else changed it" banner and its reload), a delete
// confirmation that asks why, and a toast after each change. A tab gives its columns, its form and,
// where it has them, its own row actions; the kit does the rest the same way for all of them.
import { useState, type FormEvent, type ReactNode } from 'react';
import type { Permission } from '../../../../src/core/permissions.js';
import { ApiError } from '../../api/client.js';
import { Can } from '../../auth/auth.js';
import { SidePanel } from '../../components/dialogs.js';
import { EmptyState, ErrorBanner, LoadFailed, Spinner } from '../../components/feedback.js';
import { NumberField } from '../../components/field.js';
import { ReasonDialog } from '../../components/reason-dialog.js';
import { useToast } from '../../components/toasts.js';
import { useSubmit, type SubmitState } from '../../lib/forms.js';

// ---- the list

export interface Column<T> {
  header: string;
  /** the header's tooltip: what the column means */
  title?: string;
  /** a number column: right-aligned header and cells */
  num?: boolean;
  /** the cells' class (strong, mono) */
  className?: string;
  cell: (row: T) => ReactNode;
}

/** What the form of a tab is given: the record to edit (none: a new one), and how to finish. */
export interface FormProps<T> {
  existing?: T;
  /** saved: the panel closes, `message` is toasted and the list reloads */
  onDone: (message: string) => void;
  onCancel: () => void;
}

export interface CrudTabProps<T> {
  testId: string;
  /** "process group": the toolbar counts "3 process groups" */
  noun: string;
  /** what the list was loaded with (useResource): its failure, its first load, its reload */
  resource: { error: Error | undefined; loading: boolean; reload: () => Promise<void> };
  /** undefined until loaded */
  rows: T[] | undefined;
  rowKey: (row: T) => string | number;
  rowTestId: (row: T) => string;
  columns: Column<T>[];
  empty: { title: string; body?: ReactNode };
  create: { label: string; testId: string; disabled?: boolean; permission?: Permission };
  /** the row's buttons; without it, Edit and Delete (`edit-KEY`, `delete-KEY`) */
  actions?: (row: T, open: { edit: () => void }) => ReactNode;
  /** the side panel; null while what it needs is not loaded */
  form: (props: FormProps<T>) => ReactNode;
  /** a tab whose records can be deleted: the confirmation asks for a reason */
  remove?: {
    title: string;
    confirmLabel: string;
    question: (row: T) => ReactNode;
    run: (row: T, reason: string) => Promise<void>;
    done: (row: T) => string;
  };
}

export function CrudTab<T>({ testId, noun, resource, rows, rowKey, rowTestId, columns, empty, create, actions, form, remove }: CrudTabProps<T>) {
  const toast = useToast();
  const [editing, setEditing] = useState<T | 'new' | null>(null);
  const [deleting, setDeleting] = useState<T | null>(null);

  const createButton = (
    <button type="button" className="button button-primary" onClick={() => setEditing('new')} disabled={create.disabled} data-testid={create.testId}>
      {create.label}
    </button>
  );
  const rowActions = (row: T) =>
    actions ? (
      actions(row, { edit: () => setEditing(row) })
    ) : (
      <RowActions name={String(rowKey(row))} onEdit={() => setEditing(row)} onDelete={() => setDeleting(row)} />
    );

  return (
    <section data-testid={testId}>
      <TableToolbar count={rows?.length} noun={noun}>
        {create.permission ? <Can permission={create.permission}>{createButton}</Can> : createButton}
      </TableToolbar>
      {resource.error ? <LoadFailed error={resource.error} onRetry={resource.reload} /> : null}
      {resource.loading && !rows ? <Spinner /> : null}
      {rows?.length === 0 ? <EmptyState title={empty.title}>{empty.body}</EmptyState> : null}
      {rows?.length ? (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                {columns.map((column) => (
                  <th key={column.header} className={column.num ? 'num' : undefined} title={column.title}>
                    {column.header}
                  </th>
                ))}
                <th className="actions-col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={rowKey(row)} data-testid={rowTestId(row)}>
                  {columns.map((column) => (
                    <td key={column.header} className={[column.num ? 'num' : '', column.className ?? ''].filter(Boolean).join(' ') || undefined}>
                      {column.cell(row)}
                    </td>
                  ))}
                  <td>{rowActions(row)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {editing
        ? form({
            existing: editing === 'new' ? undefined : editing,
            onCancel: () => setEditing(null),
            onDone: (message) => {
              setEditing(null);
              toast.success(message);
              void resource.reload();
            },
          })
        : null}
      {deleting && remove ? (
        <ReasonDialog
          title={remove.title}
          confirmLabel={remove.confirmLabel}
          onClose={() => setDeleting(null)}
          onConfirm={async (reason) => {
            await remove.run(deleting, reason);
            toast.success(remove.done(deleting));
            void resource.reload();
          }}
        >
          <p>{remove.question(deleting)}</p>
        </ReasonDialog>
      ) : null}
    </section>
  );
}

/** "Process group Pouching created" / "… saved": the toast after a form of the plant model. */
export const savedMessage = (entity: string, name: string, created: boolean) => `${entity} ${name} ${created ? 'created' : 'saved'}`;

function TableToolbar({ count, noun, children }: { count: number | undefined; noun: string; children: ReactNode }) {
  return (
    <div className="table-toolbar">
      <span className="muted">{count === undefined ? '' : `${count} ${noun}${count === 1 ? '' : 's'}`}</span>
      <div className="button-row">{children}</div>
    </div>
  );
}

function RowActions({ onEdit, onDelete, name }: { onEdit: () => void; onDelete: () => void; name: string }) {
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

// ---- the form

export interface DraftForm<D> {
  draft: D;
  /** changes draft fields; the message of each changed field goes */
  set: (patch: Partial<D>) => void;
  /** the version the edit is based on (a stale write is refused by the server) */
  version: number | undefined;
  submit: SubmitState;
  /** after a stale write: loads the other person's version into the form */
  reloadLatest: (() => void) | undefined;
}

/**
 * A form's state: the draft made from the record, its version, the submit state, and the reload of
 * the latest version after a stale write (only when `load` is given and a record is edited).
 */
export function useDraftForm<T extends { version: number }, D>({ existing, draftOf, isShownField, load }: {
  existing: T | undefined;
  draftOf: (record: T | undefined) => D;
  isShownField?: (path: string) => boolean;
  load?: (record: T) => Promise<T>;
}): DraftForm<D> {
  const [draft, setDraft] = useState<D>(() => draftOf(existing));
  const [version, setVersion] = useState(existing?.version);
  const submit = useSubmit(isShownField);
  const set = (patch: Partial<D>) => {
    setDraft((d) => ({ ...d, ...patch }));
    for (const key of Object.keys(patch)) submit.setFieldError(key, undefined);
  };
  const reloadLatest =
    existing && load
      ? () =>
          void submit.run(async () => {
            const latest = await load(existing);
            setDraft(draftOf(latest));
            setVersion(latest.version);
          })
      : undefined;
  return { draft, set, version, submit, reloadLatest };
}

/** The side panel of a form: title, the form's error banner, its fields, Cancel and the save button. */
export function FormPanel({ formId, title, entity, submitLabel, busy, error, onReload, onSubmit, onCancel, children, after }: {
  /** also the panel's test id */
  formId: string;
  title: string;
  /** "process group": named in the stale banner */
  entity: string;
  submitLabel: string;
  busy: boolean;
  error: Error | null;
  onReload?: () => void;
  onSubmit: (event: FormEvent) => void;
  onCancel: () => void;
  children: ReactNode;
  /** inside the panel, after the form (a dialog the form opens) */
  after?: ReactNode;
}) {
  return (
    <SidePanel title={title} onClose={onCancel} testId={formId} footer={<FormFooter busy={busy} onCancel={onCancel} submitLabel={submitLabel} formId={formId} />}>
      <form id={formId} onSubmit={onSubmit} noValidate className="form">
        <FormErrorBanner error={error} entity={entity} onReload={onReload} />
        {children}
      </form>
      {after}
    </SidePanel>
  );
}

function FormFooter({ busy, onCancel, submitLabel, formId }: { busy: boolean; onCancel: () => void; submitLabel: string; formId: string }) {
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
function FormErrorBanner({ error, entity, onReload }: { error: Error | null; entity: string; onReload?: () => void }) {
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
