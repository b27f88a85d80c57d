// Measurement channels: per machine the list, a form to add or edit one (field errors under each
// field), delete with a reason, and an upload of measurement files with progress and the bad lines.
import { useState, type FormEvent } from 'react';
import { channelCreateSchema, channelUpdateSchema, UNITS, type Channel, type MeasurementFileResult } from '../../../../src/features/measurements/schemas.js';
import { listMachines } from '../../api/plant.js';
import { createChannel, deleteChannel, getChannel, listChannels, updateChannel, uploadMeasurements } from '../../api/measurements.js';
import { errorMessage } from '../../api/client.js';
import { useResource } from '../../hooks/use-resource.js';
import { Field } from '../../components/field.js';
import { NumberReader, textOf, useNumberLocale, validated } from '../../lib/forms.js';
import { CrudTab, FormPanel, savedMessage, useDraftForm, type FormProps } from './crud-kit.js';

const FIELDS = new Set(['key', 'name', 'quantity', 'unit', 'target', 'lsl', 'usl', 'samplePeriodSeconds', 'source', 'source.kind', 'source.fileName']);
const SOURCES = [
  { kind: 'upload', label: 'Upload / CLI' },
  { kind: 'drop-folder', label: 'Drop folder (<machine>/channels/)' },
  { kind: 'mqtt', label: 'MQTT (<prefix>/<machine>/measurements)' },
] as const;

function draftOf(channel: Channel | undefined) {
  return {
    key: channel?.key ?? '',
    name: channel?.name ?? '',
    quantity: channel?.quantity ?? '',
    unit: channel?.unit ?? 'mm',
    target: textOf(channel?.target),
    lsl: textOf(channel?.lsl),
    usl: textOf(channel?.usl),
    samplePeriodSeconds: textOf(channel?.samplePeriodSeconds ?? 1),
    sourceKind: channel?.source.kind === 'csv' ? 'upload' : (channel?.source.kind ?? 'upload'),
    fileName: channel && 'fileName' in channel.source ? (channel.source.fileName ?? '') : '',
  };
}

function ChannelForm({ machine, existing, onDone, onCancel }: FormProps<Channel> & { machine: string }) {
  const { draft, set, version, submit, reloadLatest } = useDraftForm({ existing, draftOf, isShownField: (path) => FIELDS.has(path), load: (c) => getChannel(machine, c.key) });
  const locale = useNumberLocale();
  const done = (channel: Channel) => onDone(savedMessage('Channel', channel.name, !existing));
  const save = (event: FormEvent) => {
    event.preventDefault();
    const numbers = new NumberReader(locale);
    const fileName = draft.fileName.trim();
    const source = draft.sourceKind === 'mqtt' ? { kind: 'mqtt' as const } : { kind: draft.sourceKind as 'upload' | 'drop-folder', ...(fileName ? { fileName } : {}) };
    const fields = {
      name: draft.name,
      quantity: draft.quantity,
      unit: draft.unit,
      target: numbers.read('target', draft.target) ?? null,
      lsl: numbers.read('lsl', draft.lsl) ?? null,
      usl: numbers.read('usl', draft.usl) ?? null,
      samplePeriodSeconds: numbers.read('samplePeriodSeconds', draft.samplePeriodSeconds),
      // an edited CSV channel keeps its column mapping (set through the API)
      source: existing?.source.kind === 'csv' ? existing.source : source,
    };
    if (existing) {
      const input = validated(channelUpdateSchema, { ...fields, version }, submit.setFieldErrors, numbers.errors);
      if (input) void submit.run(async () => done(await updateChannel(machine, existing.key, input)));
    } else {
      const input = validated(channelCreateSchema, { ...fields, key: draft.key }, submit.setFieldErrors, numbers.errors);
      if (input) void submit.run(async () => done(await createChannel(machine, input)));
    }
  };
  const number = (name: 'target' | 'lsl' | 'usl' | 'samplePeriodSeconds', label: string, hint?: string) => (
    <Field label={label} name={name} error={submit.fieldErrors[name]} hint={hint}>
      <input value={draft[name]} onChange={(e) => set({ [name]: e.target.value })} inputMode="decimal" data-testid={`input-${name}`} />
    </Field>
  );
  return (
    <FormPanel
      formId="channel-form"
      title={existing ? `Edit ${existing.name}` : 'New channel'}
      entity="channel"
      submitLabel={existing ? 'Save changes' : 'Create channel'}
      busy={submit.busy}
      error={submit.formError}
      onReload={reloadLatest}
      onSubmit={save}
      onCancel={onCancel}
    >
      <Field label="Key" name="key" error={submit.fieldErrors.key} hint={existing ? 'The key cannot be changed.' : 'Lower-case id, e.g. film-thickness.'}>
        <input value={draft.key} onChange={(e) => set({ key: e.target.value })} disabled={Boolean(existing)} className="mono" data-testid="input-key" autoComplete="off" />
      </Field>
      <Field label="Name" name="name" error={submit.fieldErrors.name}>
        <input value={draft.name} onChange={(e) => set({ name: e.target.value })} data-testid="input-name" />
      </Field>
      <Field label="Quantity" name="quantity" error={submit.fieldErrors.quantity} hint="What is measured, e.g. thickness, temperature, pressure.">
        <input value={draft.quantity} onChange={(e) => set({ quantity: e.target.value })} data-testid="input-quantity" />
      </Field>
      <Field label="Unit" name="unit" error={submit.fieldErrors.unit}>
        <select value={draft.unit} onChange={(e) => set({ unit: e.target.value })} data-testid="input-unit">
          {UNITS.map((unit) => (
            <option key={unit} value={unit}>
              {unit}
            </option>
          ))}
        </select>
      </Field>
      {number('target', 'Target', 'Optional.')}
      {number('lsl', 'Lower spec limit (LSL)', 'Optional.')}
      {number('usl', 'Upper spec limit (USL)', 'Optional; above the LSL.')}
      {number('samplePeriodSeconds', 'Sampling period (seconds)', 'How often the source delivers a value.')}
      <Field label="Source" name="source.kind" error={submit.fieldErrors['source.kind'] ?? submit.fieldErrors.source}>
        <select value={draft.sourceKind} onChange={(e) => set({ sourceKind: e.target.value as typeof draft.sourceKind })} disabled={existing?.source.kind === 'csv'} data-testid="input-source">
          {SOURCES.map((s) => (
            <option key={s.kind} value={s.kind}>
              {s.label}
            </option>
          ))}
        </select>
      </Field>
      {draft.sourceKind !== 'mqtt' ? (
        <Field label="Name in files" name="source.fileName" error={submit.fieldErrors['source.fileName']} hint="Optional: the LVM heading or CSV column of this channel when it is not its key or name.">
          <input value={draft.fileName} onChange={(e) => set({ fileName: e.target.value })} data-testid="input-fileName" />
        </Field>
      ) : null}
    </FormPanel>
  );
}

function UploadForm({ machine, channels, onUploaded }: { machine: string; channels: Channel[]; onUploaded: () => void }) {
  const [files, setFiles] = useState<File[]>([]);
  const [channel, setChannel] = useState('');
  const [progress, setProgress] = useState<number | null>(null);
  const [results, setResults] = useState<MeasurementFileResult[]>([]);
  const [error, setError] = useState<string | null>(null);
  const upload = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setResults([]);
    try {
      for (const [index, file] of files.entries()) {
        setProgress(index / files.length);
        const answer = await uploadMeasurements(machine, file, channel || null, (fraction) => setProgress((index + fraction) / files.length));
        setResults((r) => [...r, ...answer.files]);
      }
      onUploaded();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setProgress(null);
    }
  };
  return (
    <form className="panel" onSubmit={(e) => void upload(e)} data-testid="measurement-upload">
      <h2>Upload measurement files</h2>
      <p className="muted">LabVIEW .lvm, or .csv / .tsv / .txt with a time column first and one column per channel (header = channel key or name). A re-upload stores only what is new.</p>
      <div className="field">
        <label htmlFor="measurement-files">Files</label>
        <input id="measurement-files" type="file" multiple accept=".lvm,.csv,.tsv,.txt" onChange={(e) => setFiles([...(e.target.files ?? [])])} data-testid="input-measurement-files" />
      </div>
      <div className="field">
        <label htmlFor="measurement-channel">One-column files go to</label>
        <select id="measurement-channel" value={channel} onChange={(e) => setChannel(e.target.value)} data-testid="input-measurement-channel">
          <option value="">the channel their header names</option>
          {channels.map((c) => (
            <option key={c.key} value={c.key}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button button-primary" disabled={files.length === 0 || progress !== null} data-testid="upload-measurements">
        {progress === null ? 'Upload' : `Uploading… ${Math.round(progress * 100)} %`}
      </button>
      {progress !== null ? <progress value={progress} max={1} aria-label="Upload progress" /> : null}
      {error ? <p className="field-error" role="alert">{error}</p> : null}
      {results.length ? (
        <ul className="upload-results" data-testid="measurement-upload-results">
          {results.map((r) => (
            <li key={`${r.file}-${r.fileId}`}>
              <strong>{r.file}</strong>: {r.alreadyImported ? 'already imported' : `${r.stored} samples stored`}
              {r.duplicates ? `, ${r.duplicates} already there` : ''}
              {r.errorCount ? `, ${r.errorCount} bad line${r.errorCount === 1 ? '' : 's'}` : ''}
              {r.errors.length ? (
                <ul>
                  {r.errors.map((e) => (
                    <li key={`${e.line}-${e.message}`} className="mono">
                      {e.file}:{e.line}: {e.message}
                    </li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </form>
  );
}

export function ChannelsTab() {
  const machines = useResource(listMachines, [], ['plant']);
  const [picked, setPicked] = useState<string>('');
  const machine = picked || machines.data?.[0]?.key || '';
  const channels = useResource(() => (machine ? listChannels(machine) : Promise.resolve([])), [machine], ['plant']);
  return (
    <div data-testid="admin-channels">
      <div className="field">
        <label htmlFor="channels-machine">Machine</label>
        <select id="channels-machine" value={machine} onChange={(e) => setPicked(e.target.value)} data-testid="input-channels-machine">
          {(machines.data ?? []).map((m) => (
            <option key={m.key} value={m.key}>
              {m.name}
            </option>
          ))}
        </select>
      </div>
      <CrudTab<Channel>
        testId="admin-channel-list"
        noun="channel"
        resource={channels}
        rows={channels.data}
        rowKey={(c) => c.key}
        rowTestId={(c) => `row-${c.key}`}
        create={{ label: 'New channel', testId: 'create-channel', disabled: !machine }}
        empty={{ title: 'No channels yet', body: <p>Add what this machine measures: film thickness, seal-bar temperature, vacuum …</p> }}
        columns={[
          { header: 'Name', className: 'strong', cell: (c) => c.name },
          { header: 'Key', className: 'mono', cell: (c) => c.key },
          { header: 'Quantity', cell: (c) => `${c.quantity} (${c.unit})` },
          { header: 'Target', num: true, cell: (c) => c.target ?? '–' },
          { header: 'LSL', num: true, cell: (c) => c.lsl ?? '–' },
          { header: 'USL', num: true, cell: (c) => c.usl ?? '–' },
          { header: 'Period (s)', num: true, cell: (c) => c.samplePeriodSeconds },
          { header: 'Source', cell: (c) => c.source.kind },
        ]}
        form={(props) => (machine ? <ChannelForm {...props} machine={machine} /> : null)}
        remove={{
          title: 'Delete channel?',
          confirmLabel: 'Delete channel',
          run: (c, reason) => deleteChannel(machine, c.key, c.version, reason),
          done: (c) => `Channel ${c.name} deleted`,
          question: (c) => (
            <>
              Delete <strong>{c.name}</strong> (<span className="mono">{c.key}</span>) and all its stored samples? This cannot be undone.
            </>
          ),
        }}
      />
      {machine ? <UploadForm machine={machine} channels={channels.data ?? []} onUploaded={() => void channels.reload()} /> : null}
    </div>
  );
}
