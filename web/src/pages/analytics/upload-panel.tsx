// Sensor files into the database from the browser: drop them on the page (or pick them) for a
// machine; each file uploads on its own with a progress bar and comes back with what was imported
// and which lines were refused.
import { useEffect, useId, useRef, useState, type DragEvent } from 'react';
import type { Machine } from '../../../../src/features/plant/schemas.js';
import { errorMessage } from '../../api/client.js';
import { uploadSensorFile, type IngestResultView } from '../../api/analytics.js';
import { formatCount } from './format.js';

type UploadState =
  | { status: 'waiting' }
  | { status: 'uploading'; fraction: number }
  | { status: 'processing' }
  | { status: 'done'; result: IngestResultView }
  | { status: 'failed'; message: string };

interface UploadItem {
  id: number;
  file: File;
  machine: string;
  state: UploadState;
}

const ERRORS_SHOWN = 8;

function sizeLabel(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function UploadRow({ item, machineName }: { item: UploadItem; machineName: string }) {
  const { state } = item;
  return (
    <li className={`upload-item upload-${state.status}`} data-testid={`upload-${item.file.name}`}>
      <div className="upload-head">
        <span className="upload-name mono">{item.file.name}</span>
        <span className="muted small">
          {sizeLabel(item.file.size)} → {machineName}
        </span>
        <span className="upload-status" data-testid={`upload-status-${item.file.name}`}>
          {state.status === 'waiting' ? 'Waiting'
            : state.status === 'uploading' ? `Uploading ${Math.round(state.fraction * 100)} %`
            : state.status === 'processing' ? (
              <>
                <span className="spinner spinner-small" aria-hidden="true" /> Importing…
              </>
            )
            : state.status === 'failed' ? 'Failed'
            : state.result.alreadyImported ? 'Already imported'
            : state.result.errorCount > 0 ? 'Imported with errors'
            : 'Imported'}
        </span>
      </div>
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
          </p>
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
          {state.result.warnings.map((warning) => (
            <p key={warning} className="muted small">
              {warning}
            </p>
          ))}
        </div>
      ) : null}
    </li>
  );
}

export function UploadPanel({ machines, defaultMachine, onImported, onClose, droppedFiles }: {
  machines: readonly Machine[];
  defaultMachine: string;
  /** called after a batch of files is done (the dashboard reloads) */
  onImported: () => void;
  onClose: () => void;
  /** files dropped onto the page before/while the panel is open */
  droppedFiles: { files: File[]; at: number } | null;
}) {
  const [machine, setMachine] = useState(defaultMachine || machines[0]?.key || '');
  const [items, setItems] = useState<UploadItem[]>([]);
  const [dragging, setDragging] = useState(false);
  const nextId = useRef(1);
  const queue = useRef<Promise<void>>(Promise.resolve());
  const machineId = useId();
  const names = new Map(machines.map((m) => [m.key, m.name]));

  const update = (id: number, state: UploadState) => setItems((all) => all.map((item) => (item.id === id ? { ...item, state } : item)));

  const add = (files: readonly File[]) => {
    if (!machine || files.length === 0) return;
    const added = files.map((file) => ({ id: nextId.current++, file, machine, state: { status: 'waiting' } as UploadState }));
    setItems((all) => [...added, ...all]);
    // one file after the other: the server serialises a machine's ingest anyway, and each bar moves on its own
    queue.current = queue.current.then(async () => {
      for (const item of added) {
        update(item.id, { status: 'uploading', fraction: 0 });
        try {
          const result = await uploadSensorFile(item.machine, item.file, (fraction) =>
            update(item.id, fraction >= 1 ? { status: 'processing' } : { status: 'uploading', fraction }),
          );
          update(item.id, { status: 'done', result });
        } catch (error) {
          update(item.id, { status: 'failed', message: errorMessage(error) });
        }
      }
      onImported();
    });
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
          <p className="muted small">Camera logs (PR20221011.txt …). Lines imported before are skipped, so a file can be uploaded again as it grows.</p>
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
          <select id={machineId} value={machine} onChange={(e) => setMachine(e.target.value)} data-testid="upload-machine">
            {machines.map((m) => (
              <option key={m.key} value={m.key}>
                {m.name}
              </option>
            ))}
          </select>
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
      </div>
      {items.length > 0 ? (
        <ul className="upload-list" data-testid="upload-list">
          {items.map((item) => (
            <UploadRow key={item.id} item={item} machineName={names.get(item.machine) ?? item.machine} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}
