// Sensor files into the database from the browser: drop them on the page (or pick them). Each file
// is first checked on the server (what it holds, which machine its folder and lots belong to): the
// machine is preselected from that, and a file whose lots were made on another machine waits for an
// explicit decision. Then each file uploads on its own with a progress bar and comes back with what
// was imported, which lines were refused, and a way to look at that day. Recent imports can be
// undone by those allowed to.
import { useEffect, useId, useRef, useState, type DragEvent } from 'react';
import { DateTime } from 'luxon';
import type { Machine } from '../../../../src/features/plant/schemas.js';
import { mismatchOf } from '../../../../src/features/machine-data/check-rules.js';
import { errorMessage } from '../../api/client.js';
import { checkSensorFile, uploadSensorFile, type IngestResultView, type UploadCheck } from '../../api/analytics.js';
import { useSite } from '../../hooks/site.js';
import { formatCount } from './format.js';
import { RecentImports } from './recent-imports.js';
import './upload-panel.css';

type UploadState =
  | { status: 'checking' }
  /** waits for the user: no machine yet, a machine suggested, or a mismatch to confirm */
  | { status: 'confirm'; check: UploadCheck | null }
  | { status: 'waiting' }
  | { status: 'uploading'; fraction: number }
  | { status: 'processing' }
  /** undone: taken out again from the recent imports */
  | { status: 'done'; result: IngestResultView; undone?: boolean }
  | { status: 'failed'; message: string };

interface UploadItem {
  id: number;
  file: File;
  machine: string;
  state: UploadState;
}

const ERRORS_SHOWN = 8;
const LOTS_NAMED = 4;

function sizeLabel(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function listNames(values: readonly string[]): string {
  if (values.length <= 1) return values.join('');
  return `${values.slice(0, -1).join(', ')} and ${values[values.length - 1]}`;
}

function spanLabel(check: UploadCheck, zone: string): string {
  if (check.firstAt === null || check.lastAt === null) return 'no readable cycles';
  const first = DateTime.fromMillis(check.firstAt, { zone });
  const last = DateTime.fromMillis(check.lastAt, { zone });
  return first.hasSame(last, 'day') ? `${first.toFormat('ccc d LLL yyyy, HH:mm')}–${last.toFormat('HH:mm')}` : `${first.toFormat('d LLL HH:mm')} – ${last.toFormat('d LLL yyyy HH:mm')}`;
}

/** The warning for uploading to `machine` what belongs elsewhere, in the words of the floor. */
function mismatchText(check: UploadCheck, machine: string, name: (key: string) => string): string | null {
  const mismatch = mismatchOf({ folderMachine: check.folderMachine, lotsSeenOn: check.lotsSeenOn, itemsSeenOn: check.itemsSeenOn }, machine);
  if (!mismatch) return null;
  if (mismatch.lots.length > 0) {
    const lots = mismatch.lots.length > LOTS_NAMED ? `${mismatch.lots.slice(0, LOTS_NAMED).join(', ')} …` : mismatch.lots.join(', ');
    const noun = mismatch.lots.length === 1 ? 'This lot' : 'These lots';
    return `${noun} (${lots}) ${mismatch.lots.length === 1 ? 'was' : 'were'} made on ${listNames(mismatch.lotMachines.map(name))}, not ${name(machine)} — upload to ${name(machine)} anyway?`;
  }
  return `This file comes from the folder for ${name(mismatch.folderMachine ?? '')}, not ${name(machine)} — upload to ${name(machine)} anyway?`;
}

/** A machine picker whose empty choice says what happens without one. */
function MachineSelect({ id, value, machines, none, onChange, testId }: { id: string; value: string; machines: readonly Machine[]; none: string; onChange: (key: string) => void; testId: string }) {
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
      <option value="">{none}</option>
      {machines.map((m) => (
        <option key={m.key} value={m.key}>
          {m.name}
        </option>
      ))}
    </select>
  );
}

function CheckSummary({ check, zone }: { check: UploadCheck; zone: string }) {
  const lots = check.lots.map((l) => l.lot);
  return (
    <p className="upload-summary" data-testid="upload-summary">
      {formatCount(check.cycles)} cycles · {lots.length === 0 ? 'no lot number' : `${lots.length === 1 ? 'lot' : 'lots'} ${lots.slice(0, LOTS_NAMED).join(', ')}${lots.length > LOTS_NAMED ? ' …' : ''}`} · {spanLabel(check, zone)}
    </p>
  );
}

function ConfirmRow({ item, check, machines, zone, onMachine, onImport, onCancel }: {
  item: UploadItem;
  check: UploadCheck | null;
  machines: readonly Machine[];
  zone: string;
  onMachine: (machine: string) => void;
  /** imports to the item's machine, or to `machine` when given */
  onImport: (machine?: string) => void;
  onCancel: () => void;
}) {
  const selectId = useId();
  const name = (key: string) => machines.find((m) => m.key === key)?.name ?? key;
  const warning = check && item.machine ? mismatchText(check, item.machine, name) : null;
  const suggested = check?.suggestedMachine ?? null;
  const because = check?.suggestedBecause === 'folder' ? 'the folder it was chosen in' : check?.suggestedBecause === 'lots' ? 'its lots were made there' : 'only that machine makes its items';
  const before = check?.importedBefore ?? [];
  return (
    <div className="upload-confirm" data-testid={`upload-confirm-${item.file.name}`}>
      {check ? <CheckSummary check={check} zone={zone} /> : null}
      {before.length > 0 ? (
        <p className="muted small">Already imported to {listNames(before.map((b) => name(b.machine)))} ({formatCount(before[0].cycles)} cycles).</p>
      ) : null}
      {warning ? (
        <p className="upload-warning" role="alert" data-testid={`upload-mismatch-${item.file.name}`}>
          {warning}
        </p>
      ) : suggested && suggested === item.machine ? (
        <p className="upload-suggested" data-testid={`upload-suggested-${item.file.name}`}>
          This file belongs to <strong>{name(suggested)}</strong> ({because}).
        </p>
      ) : !item.machine ? (
        <p className="upload-suggested">Which machine made this file? Choose it before importing.</p>
      ) : null}
      <div className="upload-confirm-actions">
        <div className="select-control">
          <label className="control-label" htmlFor={selectId}>
            Machine
          </label>
          <MachineSelect id={selectId} value={item.machine} machines={machines} none="Choose the machine…" onChange={onMachine} testId={`upload-item-machine-${item.file.name}`} />
        </div>
        {warning && suggested && suggested !== item.machine ? (
          <button type="button" className="button button-primary" onClick={() => onImport(suggested)} data-testid={`upload-switch-${item.file.name}`}>
            Upload to {name(suggested)} instead
          </button>
        ) : null}
        <button
          type="button"
          className={`button ${warning ? 'button-danger' : 'button-primary'}`}
          disabled={!item.machine}
          onClick={() => onImport()}
          data-testid={`upload-go-${item.file.name}`}
        >
          {!item.machine ? 'Import' : warning ? `Upload to ${name(item.machine)} anyway` : `Import to ${name(item.machine)}`}
        </button>
        <button type="button" className="button" onClick={onCancel} data-testid={`upload-cancel-${item.file.name}`}>
          Cancel
        </button>
      </div>
    </div>
  );
}

function UploadRow({ item, machines, zone, onMachine, onImport, onCancel, onShowDay }: {
  item: UploadItem;
  machines: readonly Machine[];
  zone: string;
  onMachine: (machine: string) => void;
  onImport: (machine?: string) => void;
  onCancel: () => void;
  onShowDay: (machine: string, at: number) => void;
}) {
  const { state } = item;
  const machineName = machines.find((m) => m.key === item.machine)?.name ?? (item.machine || 'no machine chosen');
  return (
    <li className={`upload-item upload-${state.status}${state.status === 'done' && state.undone ? ' upload-undone' : ''}`} data-testid={`upload-${item.file.name}`}>
      <div className="upload-head">
        <span className="upload-name mono">{item.file.name}</span>
        <span className="muted small">
          {sizeLabel(item.file.size)} → {machineName}
        </span>
        <span className="upload-status" data-testid={`upload-status-${item.file.name}`}>
          {state.status === 'checking' ? (
            <>
              <span className="spinner spinner-small" aria-hidden="true" /> Checking…
            </>
          )
            : state.status === 'confirm' ? 'Waiting for you'
            : state.status === 'waiting' ? 'Waiting'
            : state.status === 'uploading' ? `Uploading ${Math.round(state.fraction * 100)} %`
            : state.status === 'processing' ? (
              <>
                <span className="spinner spinner-small" aria-hidden="true" /> Importing…
              </>
            )
            : state.status === 'failed' ? 'Failed'
            : state.undone ? 'Undone'
            : state.result.alreadyImported || (state.result.duplicateOf !== null && state.result.cycles === 0) ? 'Already imported'
            : state.result.errorCount > 0 ? 'Imported with errors'
            : 'Imported'}
        </span>
      </div>
      {state.status === 'confirm' ? <ConfirmRow item={item} check={state.check} machines={machines} zone={zone} onMachine={onMachine} onImport={onImport} onCancel={onCancel} /> : null}
      {state.status === 'uploading' || state.status === 'processing' || state.status === 'waiting' ? (
        <progress max={1} value={state.status === 'uploading' ? state.fraction : state.status === 'processing' ? undefined : 0} aria-label={`Upload of ${item.file.name}`} />
      ) : null}
      {state.status === 'failed' ? <p className="upload-error">{state.message}</p> : null}
      {state.status === 'done' ? (
        <div className="upload-result" data-testid={`upload-result-${item.file.name}`}>
          <p>
            <strong data-testid={`upload-cycles-${item.file.name}`}>{formatCount(state.result.cycles)}</strong> cycles imported
            {state.result.skippedBytes > 0 ? ` · ${sizeLabel(state.result.skippedBytes)} imported before, skipped` : ''}
            {state.result.errorCount > 0 ? ` · ${formatCount(state.result.errorCount)} lines refused` : ''}
            {state.result.firstAt !== null && !state.undone ? (
              <>
                {' '}
                <button type="button" className="button button-small upload-show-day" onClick={() => onShowDay(item.machine, state.result.firstAt as number)} data-testid={`upload-show-day-${item.file.name}`}>
                  Show {DateTime.fromMillis(state.result.firstAt, { zone }).toFormat('ccc d LLL')}
                </button>
              </>
            ) : null}
          </p>
          {duplicateNote(state.result, zone) ? (
            <p className="upload-duplicate" role="status" data-testid={`upload-duplicate-${item.file.name}`}>
              {duplicateNote(state.result, zone)}
            </p>
          ) : null}
          {state.result.errors.length > 0 ? (
            <ul className="upload-errors">
              {state.result.errors.slice(0, ERRORS_SHOWN).map((error) => (
                <li key={`${error.line}-${error.message}`}>
                  <span className="mono">line {error.line}</span>: {error.message}
                </li>
              ))}
              {state.result.errorCount > ERRORS_SHOWN ? <li className="muted">and {formatCount(state.result.errorCount - ERRORS_SHOWN)} more</li> : null}
            </ul>
          ) : null}
          {state.result.warnings.filter((warning) => !warning.endsWith(NOTHING_TWICE)).map((warning) => (
            <p key={warning} className="muted small">
              {warning}
            </p>
          ))}
        </div>
      ) : null}
    </li>
  );
}

const NOTHING_TWICE = 'nothing stored twice';

/** Says plainly what of the file was imported before (under another name, or as the same cycles), or null. */
function duplicateNote(result: IngestResultView, zone: string): string | null {
  const original = result.duplicateOf;
  if (original === null) return null;
  if (result.duplicateCycles > 0) return `${formatCount(result.duplicateCycles)} cycles were already imported (${original.file}): ${NOTHING_TWICE}`;
  if (result.cycles > 0) return `Its first part was already imported as ${original.file}: only what followed was stored`;
  return `Already imported as ${original.file} on ${DateTime.fromMillis(original.importedAt, { zone }).toFormat('d LLL yyyy')}: ${NOTHING_TWICE}`;
}

export function UploadPanel({ machines, onImported, onClose, onShowDay, droppedFiles }: {
  machines: readonly Machine[];
  /** called after a file is imported or an import undone (the dashboard reloads) */
  onImported: () => void;
  onClose: () => void;
  /** "Show this day": the analytics window jumps to the plant-local day of `at` on `machine` */
  onShowDay: (machine: string, at: number) => void;
  /** files dropped onto the page before/while the panel is open */
  droppedFiles: { files: File[]; at: number } | null;
}) {
  // no default: a file goes to the machine it belongs to (inferred) or the one chosen, never to the first in the list
  const [machine, setMachine] = useState('');
  const [items, setItems] = useState<UploadItem[]>([]);
  const [dragging, setDragging] = useState(false);
  const [importsVersion, setImportsVersion] = useState(0);
  const nextId = useRef(1);
  const queue = useRef<Promise<void>>(Promise.resolve());
  const machineId = useId();
  const zone = useSite().data?.timezone ?? 'UTC';

  const patch = (id: number, change: Partial<UploadItem>) => setItems((all) => all.map((item) => (item.id === id ? { ...item, ...change } : item)));
  const update = (id: number, state: UploadState) => patch(id, { state });

  const upload = (item: UploadItem) => {
    update(item.id, { status: 'waiting' });
    // one file after the other: the server serialises a machine's ingest anyway, and each bar moves on its own
    queue.current = queue.current.then(async () => {
      update(item.id, { status: 'uploading', fraction: 0 });
      try {
        const result = await uploadSensorFile(item.machine, item.file, (fraction) => update(item.id, fraction >= 1 ? { status: 'processing' } : { status: 'uploading', fraction }));
        update(item.id, { status: 'done', result });
      } catch (error) {
        update(item.id, { status: 'failed', message: errorMessage(error) });
      }
      setImportsVersion((v) => v + 1);
      onImported();
    });
  };

  const check = async (item: UploadItem, chosen: string) => {
    let result: UploadCheck;
    try {
      result = await checkSensorFile(item.file, chosen || null);
    } catch (error) {
      // the check is a help, not a gate: without it the user still decides
      patch(item.id, { state: { status: 'confirm', check: null } });
      console.warn(`check of ${item.file.name} failed: ${errorMessage(error)}`);
      return;
    }
    const target = chosen || result.suggestedMachine || '';
    if (!chosen && target) setMachine((current) => current || target);
    const ready: UploadItem = { ...item, machine: target };
    // a machine the user chose that agrees with the file: straight on, as before
    if (chosen && mismatchOf(result, chosen) === null) {
      patch(item.id, { machine: target });
      upload(ready);
      return;
    }
    patch(item.id, { machine: target, state: { status: 'confirm', check: result } });
  };

  const add = (files: readonly File[]) => {
    if (files.length === 0) return;
    const added: UploadItem[] = files.map((file) => ({ id: nextId.current++, file, machine, state: { status: 'checking' } }));
    setItems((all) => [...added, ...all]);
    for (const item of added) void check(item, machine);
  };

  const lastDrop = useRef(0);
  useEffect(() => {
    if (droppedFiles && droppedFiles.at !== lastDrop.current) {
      lastDrop.current = droppedFiles.at;
      add(droppedFiles.files);
    }
    // `add` reads the current machine; a new drop is what triggers it
  }, [droppedFiles]);

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    event.stopPropagation();
    setDragging(false);
    add([...event.dataTransfer.files]);
  };

  return (
    <section className="panel upload-panel" data-testid="upload-panel" aria-label="Import sensor files">
      <header className="card-header">
        <div>
          <h2>Import sensor files</h2>
          <p className="muted small">
            Camera logs (PR20221011.txt …). Each file is checked first: the machine is taken from its folder or from where its lots were made. Lines imported before
            are skipped, so a file can be uploaded again as it grows.
          </p>
        </div>
        <button type="button" className="icon-button" aria-label="Close the import panel" onClick={onClose} data-testid="upload-close">
          ×
        </button>
      </header>
      <div className="upload-controls">
        <div className="select-control">
          <label className="control-label" htmlFor={machineId}>
            For machine
          </label>
          <MachineSelect id={machineId} value={machine} machines={machines} none="Find from the file" onChange={setMachine} testId="upload-machine" />
        </div>
        <label
          className={`drop-zone${dragging ? ' drop-zone-active' : ''}`}
          onDragOver={(event) => {
            event.preventDefault();
            event.stopPropagation();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
          data-testid="upload-drop-zone"
        >
          <span>
            <strong>Drop files here</strong> or <span className="drop-pick">choose files</span>
          </span>
          <input
            type="file"
            multiple
            accept=".txt,.csv,text/plain,text/csv"
            className="drop-input"
            aria-label="Choose sensor files to import"
            data-testid="upload-input"
            onChange={(event) => {
              add([...(event.target.files ?? [])]);
              event.target.value = '';
            }}
          />
        </label>
        <label className="button upload-folder-pick">
          Choose a machine folder
          <input
            type="file"
            multiple
            className="drop-input"
            aria-label="Choose a folder of sensor files (its name tells the machine)"
            data-testid="upload-folder-input"
            ref={(input) => {
              // not in React's attribute list: set on the element
              if (input) input.setAttribute('webkitdirectory', '');
            }}
            onChange={(event) => {
              add([...(event.target.files ?? [])].filter((file) => /\.(txt|csv)$/i.test(file.name)));
              event.target.value = '';
            }}
          />
        </label>
      </div>
      {items.length > 0 ? (
        <ul className="upload-list" data-testid="upload-list">
          {items.map((item) => (
            <UploadRow
              key={item.id}
              item={item}
              machines={machines}
              zone={zone}
              onMachine={(key) => patch(item.id, { machine: key })}
              onImport={(target) => {
                const ready = target ? { ...item, machine: target } : item;
                if (target) patch(item.id, { machine: target });
                upload(ready);
              }}
              onCancel={() => setItems((all) => all.filter((other) => other.id !== item.id))}
              onShowDay={onShowDay}
            />
          ))}
        </ul>
      ) : null}
      <RecentImports
        machines={machines}
        zone={zone}
        version={importsVersion}
        onUndone={(fileId) => {
          setItems((all) => all.map((item) => (item.state.status === 'done' && item.state.result.fileId === fileId ? { ...item, state: { ...item.state, undone: true } } : item)));
          onImported();
        }}
      />
    </section>
  );
}
