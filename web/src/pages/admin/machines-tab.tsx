// Machines: list, create, edit, delete. A machine belongs to one process group and names the OEE
// profile its data is analysed with.
import { useState, type FormEvent } from 'react';
import { machineCreateSchema, machineUpdateSchema, type Machine, type ProcessGroup } from '../../../../src/features/plant/schemas.js';
import { BUILTIN_PROFILES } from '../../../../src/core/oee/profiles.js';
import { createMachine, deleteMachine, getMachine, listMachines, listProcessGroups, updateMachine } from '../../api/plant.js';
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
  group: string;
  enabled: boolean;
  oeeProfile: string;
  dataFolder: string;
  sortOrder: string;
}

const FIELDS = new Set(['key', 'name', 'group', 'enabled', 'oeeProfile', 'dataFolder', 'sortOrder']);
const isShownField = (path: string) => FIELDS.has(path);
const BUILTIN_PROFILE_NAMES = Object.keys(BUILTIN_PROFILES);

function draftOf(machine: Machine | undefined, groups: ProcessGroup[]): Draft {
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

function MachineForm({ existing, groups, onDone, onCancel }: {
  existing?: Machine;
  groups: ProcessGroup[];
  onDone: (machine: Machine) => void;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(existing, groups));
  const [version, setVersion] = useState(existing?.version);
  const submit = useSubmit(isShownField);
  const locale = useNumberLocale();
  const set = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    for (const key of Object.keys(patch)) submit.setFieldError(key, undefined);
  };
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
      if (patch) void submit.run(async () => onDone(await updateMachine(existing.key, patch)));
    } else {
      const input = validated(machineCreateSchema, { ...fields, key: draft.key }, submit.setFieldErrors, numbers.errors);
      if (input) void submit.run(async () => onDone(await createMachine(input)));
    }
  };

  const reloadLatest = () =>
    void submit.run(async () => {
      if (!existing) return;
      const latest = await getMachine(existing.key);
      setDraft(draftOf(latest, groups));
      setVersion(latest.version);
    });

  const formId = 'machine-form';
  return (
    <SidePanel
      title={existing ? `Edit ${existing.name}` : 'New machine'}
      onClose={onCancel}
      testId="machine-form"
      footer={<FormFooter busy={submit.busy} onCancel={onCancel} submitLabel={existing ? 'Save changes' : 'Create machine'} formId={formId} />}
    >
      <form id={formId} onSubmit={save} noValidate className="form">
        <FormErrorBanner error={submit.formError} entity="machine" onReload={existing ? reloadLatest : undefined} />
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
      </form>
    </SidePanel>
  );
}

async function loadMachinesAndGroups() {
  const [machines, groups] = await Promise.all([listMachines(), listProcessGroups()]);
  return { machines, groups };
}

export function MachinesTab() {
  const plant = useResource(loadMachinesAndGroups, [], ['plant']);
  const toast = useToast();
  const [editing, setEditing] = useState<Machine | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Machine | null>(null);
  const groupName = (key: string) => plant.data?.groups.find((g) => g.key === key)?.name ?? key;
  // the plant's order: by process group, then by position within it
  const groupOrder = (key: string) => plant.data?.groups.findIndex((g) => g.key === key) ?? -1;
  const machines = plant.data?.machines
    .slice()
    .sort((a, b) => groupOrder(a.group) - groupOrder(b.group) || a.sortOrder - b.sortOrder || a.name.localeCompare(b.name));

  return (
    <section data-testid="admin-machines">
      <TableToolbar count={machines?.length} noun="machine">
        <button type="button" className="button button-primary" onClick={() => setEditing('new')} disabled={!plant.data} data-testid="create-machine">
          New machine
        </button>
      </TableToolbar>
      {plant.error ? <LoadFailed error={plant.error} onRetry={plant.reload} /> : null}
      {plant.loading && !plant.data ? <Spinner /> : null}
      {machines?.length === 0 ? <EmptyState title="No machines yet"><p>Add the plant's machines (work centres) and put each in its process group.</p></EmptyState> : null}
      {machines?.length ? (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Key</th>
                <th>Process group</th>
                <th>Status</th>
                <th>OEE profile</th>
                <th className="num" title="Position of the machine in lists and on the board">
                  Sort order
                </th>
                <th className="actions-col"><span className="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {machines.map((machine) => (
                <tr key={machine.key} data-testid={`row-${machine.key}`}>
                  <td className="strong">{machine.name}</td>
                  <td className="mono">{machine.key}</td>
                  <td>{groupName(machine.group)}</td>
                  <td>
                    <span className={`badge ${machine.enabled ? 'badge-ok' : 'badge-muted'}`}>{machine.enabled ? 'Enabled' : 'Disabled'}</span>
                  </td>
                  <td>{machine.oeeProfile}</td>
                  <td className="num">{machine.sortOrder}</td>
                  <td>
                    <RowActions name={machine.key} onEdit={() => setEditing(machine)} onDelete={() => setDeleting(machine)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {editing && plant.data ? (
        <MachineForm
          existing={editing === 'new' ? undefined : editing}
          groups={plant.data.groups}
          onCancel={() => setEditing(null)}
          onDone={(machine) => {
            setEditing(null);
            toast.success(editing === 'new' ? `Machine ${machine.name} created` : `Machine ${machine.name} saved`);
            void plant.reload();
          }}
        />
      ) : null}
      {deleting ? (
        <ReasonDialog
          title="Delete machine?"
          confirmLabel="Delete machine"
          onClose={() => setDeleting(null)}
          onConfirm={async (reason) => {
            await deleteMachine(deleting.key, deleting.version, reason);
            toast.success(`Machine ${deleting.name} deleted`);
            void plant.reload();
          }}
        >
          <p>
            Delete <strong>{deleting.name}</strong> (<span className="mono">{deleting.key}</span>)? This cannot be undone. To stop planning on it for a
            while, disable it instead.
          </p>
        </ReasonDialog>
      ) : null}
    </section>
  );
}
