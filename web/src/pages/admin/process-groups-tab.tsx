// Process groups: list, create, edit, delete (the server refuses while machines or routings use one).
import { useState, type FormEvent } from 'react';
import {
  processGroupCreateSchema, processGroupUpdateSchema, type ProcessGroup,
} from '../../../../src/features/plant/schemas.js';
import { createProcessGroup, deleteProcessGroup, getProcessGroup, listProcessGroups, updateProcessGroup } from '../../api/plant.js';
import { useResource } from '../../hooks/use-resource.js';
import { useToast } from '../../components/toasts.js';
import { SidePanel } from '../../components/dialogs.js';
import { Field } from '../../components/field.js';
import { EmptyState, LoadFailed, Spinner } from '../../components/feedback.js';
import { NumberReader, textOf, useNumberLocale, useSubmit, validated } from '../../lib/forms.js';
import { FormErrorBanner, FormFooter, RowActions, TableToolbar, SortOrderField } from './shared.js';
import { ReasonDialog } from '../../components/reason-dialog.js';

interface Draft {
  key: string;
  name: string;
  sortOrder: string;
}

const FIELDS = new Set(['key', 'name', 'sortOrder']);
const isShownField = (path: string) => FIELDS.has(path);

function draftOf(group?: ProcessGroup): Draft {
  return { key: group?.key ?? '', name: group?.name ?? '', sortOrder: textOf(group?.sortOrder ?? 0) };
}

function ProcessGroupForm({ existing, onDone, onCancel }: { existing?: ProcessGroup; onDone: (group: ProcessGroup) => void; onCancel: () => void }) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(existing));
  const [version, setVersion] = useState(existing?.version);
  const submit = useSubmit(isShownField);
  const locale = useNumberLocale();
  const set = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    for (const key of Object.keys(patch)) submit.setFieldError(key, undefined);
  };

  const save = (event: FormEvent) => {
    event.preventDefault();
    const numbers = new NumberReader(locale);
    const fields = { name: draft.name, sortOrder: numbers.read('sortOrder', draft.sortOrder, { integer: true }) };
    if (existing) {
      const patch = validated(processGroupUpdateSchema, { ...fields, version }, submit.setFieldErrors, numbers.errors);
      if (patch) void submit.run(async () => onDone(await updateProcessGroup(existing.key, patch)));
    } else {
      const input = validated(processGroupCreateSchema, { ...fields, key: draft.key }, submit.setFieldErrors, numbers.errors);
      if (input) void submit.run(async () => onDone(await createProcessGroup(input)));
    }
  };

  const reloadLatest = () =>
    void submit.run(async () => {
      if (!existing) return;
      const latest = await getProcessGroup(existing.key);
      setDraft(draftOf(latest));
      setVersion(latest.version);
    });

  const formId = 'process-group-form';
  return (
    <SidePanel
      title={existing ? `Edit ${existing.name}` : 'New process group'}
      onClose={onCancel}
      testId="process-group-form"
      footer={<FormFooter busy={submit.busy} onCancel={onCancel} submitLabel={existing ? 'Save changes' : 'Create process group'} formId={formId} />}
    >
      <form id={formId} onSubmit={save} noValidate className="form">
        <FormErrorBanner error={submit.formError} entity="process group" onReload={existing ? reloadLatest : undefined} />
        <Field label="Key" name="key" error={submit.fieldErrors.key} hint={existing ? 'The key cannot be changed.' : 'Short id used in links and imports, e.g. pouching-itrak.'}>
          <input value={draft.key} onChange={(e) => set({ key: e.target.value })} disabled={Boolean(existing)} autoFocus={!existing} className="mono" data-testid="input-key" autoComplete="off" />
        </Field>
        <Field label="Name" name="name" error={submit.fieldErrors.name}>
          <input value={draft.name} onChange={(e) => set({ name: e.target.value })} autoFocus={Boolean(existing)} data-testid="input-name" />
        </Field>
        <SortOrderField value={draft.sortOrder} onChange={(sortOrder) => set({ sortOrder })} submit={submit} locale={locale} hint="Lower numbers come first on the board and machine pages." />
      </form>
    </SidePanel>
  );
}

export function ProcessGroupsTab() {
  const groups = useResource(listProcessGroups, [], ['plant']);
  const toast = useToast();
  const [editing, setEditing] = useState<ProcessGroup | 'new' | null>(null);
  const [deleting, setDeleting] = useState<ProcessGroup | null>(null);

  return (
    <section data-testid="admin-process-groups">
      <TableToolbar count={groups.data?.length} noun="process group">
        <button type="button" className="button button-primary" onClick={() => setEditing('new')} data-testid="create-process-group">
          New process group
        </button>
      </TableToolbar>
      {groups.error ? <LoadFailed error={groups.error} onRetry={groups.reload} /> : null}
      {groups.loading && !groups.data ? <Spinner /> : null}
      {groups.data?.length === 0 ? <EmptyState title="No process groups yet"><p>A process group is an area or machine family, e.g. “Pouching – iTrak”.</p></EmptyState> : null}
      {groups.data?.length ? (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Key</th>
                <th className="num">Sort order</th>
                <th className="num">Machines</th>
                <th className="actions-col"><span className="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {groups.data.map((group) => (
                <tr key={group.key} data-testid={`row-${group.key}`}>
                  <td className="strong">{group.name}</td>
                  <td className="mono">{group.key}</td>
                  <td className="num">{group.sortOrder}</td>
                  <td className="num">{group.machineCount ?? '–'}</td>
                  <td>
                    <RowActions name={group.key} onEdit={() => setEditing(group)} onDelete={() => setDeleting(group)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {editing ? (
        <ProcessGroupForm
          existing={editing === 'new' ? undefined : editing}
          onCancel={() => setEditing(null)}
          onDone={(group) => {
            setEditing(null);
            toast.success(editing === 'new' ? `Process group ${group.name} created` : `Process group ${group.name} saved`);
            void groups.reload();
          }}
        />
      ) : null}
      {deleting ? (
        <ReasonDialog
          title="Delete process group?"
          confirmLabel="Delete process group"
          onClose={() => setDeleting(null)}
          onConfirm={async (reason) => {
            await deleteProcessGroup(deleting.key, deleting.version, reason);
            toast.success(`Process group ${deleting.name} deleted`);
            void groups.reload();
          }}
        >
          <p>
            Delete <strong>{deleting.name}</strong> (<span className="mono">{deleting.key}</span>)? This cannot be undone. A group that machines or
            product routings still use cannot be deleted.
          </p>
        </ReasonDialog>
      ) : null}
    </section>
  );
}
