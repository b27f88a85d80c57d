// Machines: list, create, edit, delete. A machine belongs to one process group and names the OEE
// profile its data is analysed with.
import type { FormEvent } from 'react';
import { machineCreateSchema, machineUpdateSchema, type Machine, type ProcessGroup } from '../../../../src/features/plant/schemas.js';
import { BUILTIN_PROFILES } from '../../../../src/core/oee/profiles.js';
import { createMachine, deleteMachine, getMachine, listMachines, listProcessGroups, updateMachine } from '../../api/plant.js';
import { useResource } from '../../hooks/use-resource.js';
import { Field } from '../../components/field.js';
import { NumberReader, textOf, useNumberLocale, validated } from '../../lib/forms.js';
import { CrudTab, FormPanel, SortOrderField, savedMessage, useDraftForm, type FormProps } from './crud-kit.js';

const FIELDS = new Set(['key', 'name', 'group', 'enabled', 'oeeProfile', 'dataFolder', 'sortOrder']);
const isShownField = (path: string) => FIELDS.has(path);
const BUILTIN_PROFILE_NAMES = Object.keys(BUILTIN_PROFILES);

function draftOf(machine: Machine | undefined, groups: ProcessGroup[]) {
  return {
    key: machine?.key ?? '',
    name: machine?.name ?? '',
    group: machine?.group ?? groups[0]?.key ?? '',
    enabled: machine?.enabled ?? true,
    oeeProfile: machine?.oeeProfile ?? 'iso22400',
    dataFolder: machine?.dataFolder ?? '',
    sortOrder: textOf(machine?.sortOrder ?? 0),
  };
}

function MachineForm({ existing, groups, onDone, onCancel }: FormProps<Machine> & { groups: ProcessGroup[] }) {
  const { draft, set, version, submit, reloadLatest } = useDraftForm({
    existing, draftOf: (machine) => draftOf(machine, groups), isShownField, load: (machine) => getMachine(machine.key),
  });
  const locale = useNumberLocale();
  const done = (machine: Machine) => onDone(savedMessage('Machine', machine.name, !existing));
  const profiles = BUILTIN_PROFILE_NAMES.includes(draft.oeeProfile) ? BUILTIN_PROFILE_NAMES : [...BUILTIN_PROFILE_NAMES, draft.oeeProfile];

  const save = (event: FormEvent) => {
    event.preventDefault();
    const numbers = new NumberReader(locale);
    const fields = {
      name: draft.name,
      group: draft.group,
      enabled: draft.enabled,
      oeeProfile: draft.oeeProfile,
      dataFolder: draft.dataFolder.trim() === '' ? null : draft.dataFolder,
      sortOrder: numbers.read('sortOrder', draft.sortOrder, { integer: true }),
    };
    if (existing) {
      const patch = validated(machineUpdateSchema, { ...fields, version }, submit.setFieldErrors, numbers.errors);
      if (patch) void submit.run(async () => done(await updateMachine(existing.key, patch)));
    } else {
      const input = validated(machineCreateSchema, { ...fields, key: draft.key }, submit.setFieldErrors, numbers.errors);
      if (input) void submit.run(async () => done(await createMachine(input)));
    }
  };

  return (
    <FormPanel
      formId="machine-form"
      title={existing ? `Edit ${existing.name}` : 'New machine'}
      entity="machine"
      submitLabel={existing ? 'Save changes' : 'Create machine'}
      busy={submit.busy}
      error={submit.formError}
      onReload={reloadLatest}
      onSubmit={save}
      onCancel={onCancel}
    >
      <Field label="Key" name="key" error={submit.fieldErrors.key} hint={existing ? 'The key cannot be changed.' : 'Lower-case id as the machine data names it, e.g. line7.'}>
        <input value={draft.key} onChange={(e) => set({ key: e.target.value })} disabled={Boolean(existing)} autoFocus={!existing} className="mono" data-testid="input-key" autoComplete="off" />
      </Field>
      <Field label="Name" name="name" error={submit.fieldErrors.name}>
        <input value={draft.name} onChange={(e) => set({ name: e.target.value })} autoFocus={Boolean(existing)} data-testid="input-name" />
      </Field>
      <Field label="Process group" name="group" error={submit.fieldErrors.group}>
        <select value={draft.group} onChange={(e) => set({ group: e.target.value })} data-testid="input-group">
          {groups.length === 0 ? <option value="">Create a process group first</option> : null}
          {groups.map((group) => (
            <option key={group.key} value={group.key}>
              {group.name}
            </option>
          ))}
        </select>
      </Field>
      <div className="field">
        <label className="toggle">
          <input type="checkbox" checked={draft.enabled} onChange={(e) => set({ enabled: e.target.checked })} data-testid="input-enabled" />
          <span>Enabled</span>
        </label>
        <p className="field-hint">A disabled machine gets no work planned on it.</p>
      </div>
      <Field label="OEE profile" name="oeeProfile" error={submit.fieldErrors.oeeProfile} hint="How stops and rates are derived from this machine's data.">
        <select value={draft.oeeProfile} onChange={(e) => set({ oeeProfile: e.target.value })} data-testid="input-oeeProfile">
          {profiles.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Data folder" name="dataFolder" error={submit.fieldErrors.dataFolder} hint="Optional: the drop folder its sensor logs arrive in.">
        <input value={draft.dataFolder} onChange={(e) => set({ dataFolder: e.target.value })} className="mono" data-testid="input-dataFolder" />
      </Field>
      <SortOrderField value={draft.sortOrder} onChange={(sortOrder) => set({ sortOrder })} submit={submit} locale={locale} hint="Position within its process group." />
    </FormPanel>
  );
}

async function loadMachinesAndGroups() {
  const [machines, groups] = await Promise.all([listMachines(), listProcessGroups()]);
  return { machines, groups };
}

export function MachinesTab() {
  const plant = useResource(loadMachinesAndGroups, [], ['plant']);
  const groupName = (key: string) => plant.data?.groups.find((g) => g.key === key)?.name ?? key;
  // the plant's order: by process group, then by position within it
  const groupOrder = (key: string) => plant.data?.groups.findIndex((g) => g.key === key) ?? -1;
  const machines = plant.data?.machines
    .slice()
    .sort((a, b) => groupOrder(a.group) - groupOrder(b.group) || a.sortOrder - b.sortOrder || a.name.localeCompare(b.name));

  return (
    <CrudTab<Machine>
      testId="admin-machines"
      noun="machine"
      resource={plant}
      rows={machines}
      rowKey={(machine) => machine.key}
      rowTestId={(machine) => `row-${machine.key}`}
      create={{ label: 'New machine', testId: 'create-machine', disabled: !plant.data }}
      empty={{ title: 'No machines yet', body: <p>Add the plant's machines (work centres) and put each in its process group.</p> }}
      columns={[
        { header: 'Name', className: 'strong', cell: (machine) => machine.name },
        { header: 'Key', className: 'mono', cell: (machine) => machine.key },
        { header: 'Process group', cell: (machine) => groupName(machine.group) },
        {
          header: 'Status',
          cell: (machine) => <span className={`badge ${machine.enabled ? 'badge-ok' : 'badge-muted'}`}>{machine.enabled ? 'Enabled' : 'Disabled'}</span>,
        },
        { header: 'OEE profile', cell: (machine) => machine.oeeProfile },
        { header: 'Last family', className: 'mono', cell: (machine) => machine.lastFamily ?? <span className="muted">unknown</span> },
        { header: 'Sort order', num: true, title: 'Position of the machine in lists and on the board', cell: (machine) => machine.sortOrder },
      ]}
      form={(props) => (plant.data ? <MachineForm {...props} groups={plant.data.groups} /> : null)}
      remove={{
        title: 'Delete machine?',
        confirmLabel: 'Delete machine',
        run: (machine, reason) => deleteMachine(machine.key, machine.version, reason),
        done: (machine) => `Machine ${machine.name} deleted`,
        question: (machine) => (
          <>
            Delete <strong>{machine.name}</strong> (<span className="mono">{machine.key}</span>)? This cannot be undone. To stop planning on it for a
            while, disable it instead.
          </>
        ),
      }}
    />
  );
}
