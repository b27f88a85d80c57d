// Process groups: list, create, edit, delete (the server refuses while machines or routings use one).
import type { FormEvent } from 'react';
import {
  processGroupCreateSchema, processGroupUpdateSchema, type ProcessGroup,
} from '../../../../src/features/plant/schemas.js';
import { createProcessGroup, deleteProcessGroup, getProcessGroup, listProcessGroups, updateProcessGroup } from '../../api/plant.js';
import { useResource } from '../../hooks/use-resource.js';
import { Field } from '../../components/field.js';
import { NumberReader, textOf, useNumberLocale, validated } from '../../lib/forms.js';
import { CrudTab, FormPanel, SortOrderField, savedMessage, useDraftForm, type FormProps } from './crud-kit.js';

const FIELDS = new Set(['key', 'name', 'sortOrder']);
const isShownField = (path: string) => FIELDS.has(path);

const draftOf = (group?: ProcessGroup) => ({ key: group?.key ?? '', name: group?.name ?? '', sortOrder: textOf(group?.sortOrder ?? 0) });

function ProcessGroupForm({ existing, onDone, onCancel }: FormProps<ProcessGroup>) {
  const { draft, set, version, submit, reloadLatest } = useDraftForm({ existing, draftOf, isShownField, load: (group) => getProcessGroup(group.key) });
  const locale = useNumberLocale();
  const done = (group: ProcessGroup) => onDone(savedMessage('Process group', group.name, !existing));

  const save = (event: FormEvent) => {
    event.preventDefault();
    const numbers = new NumberReader(locale);
    const fields = { name: draft.name, sortOrder: numbers.read('sortOrder', draft.sortOrder, { integer: true }) };
    if (existing) {
      const patch = validated(processGroupUpdateSchema, { ...fields, version }, submit.setFieldErrors, numbers.errors);
      if (patch) void submit.run(async () => done(await updateProcessGroup(existing.key, patch)));
    } else {
      const input = validated(processGroupCreateSchema, { ...fields, key: draft.key }, submit.setFieldErrors, numbers.errors);
      if (input) void submit.run(async () => done(await createProcessGroup(input)));
    }
  };

  return (
    <FormPanel
      formId="process-group-form"
      title={existing ? `Edit ${existing.name}` : 'New process group'}
      entity="process group"
      submitLabel={existing ? 'Save changes' : 'Create process group'}
      busy={submit.busy}
      error={submit.formError}
      onReload={reloadLatest}
      onSubmit={save}
      onCancel={onCancel}
    >
      <Field label="Key" name="key" error={submit.fieldErrors.key} hint={existing ? 'The key cannot be changed.' : 'Short id used in links and imports, e.g. pouching-itrak.'}>
        <input value={draft.key} onChange={(e) => set({ key: e.target.value })} disabled={Boolean(existing)} autoFocus={!existing} className="mono" data-testid="input-key" autoComplete="off" />
      </Field>
      <Field label="Name" name="name" error={submit.fieldErrors.name}>
        <input value={draft.name} onChange={(e) => set({ name: e.target.value })} autoFocus={Boolean(existing)} data-testid="input-name" />
      </Field>
      <SortOrderField value={draft.sortOrder} onChange={(sortOrder) => set({ sortOrder })} submit={submit} locale={locale} hint="Lower numbers come first on the board and machine pages." />
    </FormPanel>
  );
}

export function ProcessGroupsTab() {
  const groups = useResource(listProcessGroups, [], ['plant']);
  return (
    <CrudTab<ProcessGroup>
      testId="admin-process-groups"
      noun="process group"
      resource={groups}
      rows={groups.data}
      rowKey={(group) => group.key}
      rowTestId={(group) => `row-${group.key}`}
      create={{ label: 'New process group', testId: 'create-process-group' }}
      empty={{ title: 'No process groups yet', body: <p>A process group is an area or machine family, e.g. “Pouching – iTrak”.</p> }}
      columns={[
        { header: 'Name', className: 'strong', cell: (group) => group.name },
        { header: 'Key', className: 'mono', cell: (group) => group.key },
        { header: 'Sort order', num: true, cell: (group) => group.sortOrder },
        { header: 'Machines', num: true, cell: (group) => group.machineCount ?? '–' },
      ]}
      form={(props) => <ProcessGroupForm {...props} />}
      remove={{
        title: 'Delete process group?',
        confirmLabel: 'Delete process group',
        run: (group, reason) => deleteProcessGroup(group.key, group.version, reason),
        done: (group) => `Process group ${group.name} deleted`,
        question: (group) => (
          <>
            Delete <strong>{group.name}</strong> (<span className="mono">{group.key}</span>)? This cannot be undone. A group that machines or
            product routings still use cannot be deleted.
          </>
        ),
      }}
    />
  );
}
