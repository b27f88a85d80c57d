// The shift sheet on the operator page: download the prefilled .xlsx of the shift or of its week,
// fill it in at a desk, upload it back. The upload shows its progress, then what became of every
// row — errors and conflicts listed in plain words, with the counts — and tells the page to reload
// what it shows when something was stored.
import { useId, useRef, useState } from 'react';
import { errorMessage } from '../../api/client.js';
import { shiftSheetUrl, uploadShiftSheet, weekSheetUrl, type WorkbookImportResult } from '../../api/operator-workbook.js';
import './spreadsheet-panel.css';

export interface SpreadsheetPanelProps {
  machine: string;
  /** the shown shift's start (epoch ms) */
  shiftStartMs: number;
  /** the ISO week of that shift, e.g. "2022-W41" */
  isoWeek: string;
  /** something was stored: the page reloads its view */
  onImported?: (result: WorkbookImportResult) => void;
}

type UploadState =
  | { status: 'idle' }
  | { status: 'uploading'; fileName: string; fraction: number }
  | { status: 'processing'; fileName: string }
  | { status: 'done'; fileName: string; result: WorkbookImportResult }
  | { status: 'failed'; fileName: string; message: string };

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function ResultList({ result }: { result: WorkbookImportResult }) {
  const problems = result.rows.filter((r) => r.status === 'error' || r.status === 'conflict');
  return (
    <div className="sheet-result" data-testid="sheet-result">
      <p className="sheet-counts" role="status">
        <span className="sheet-count sheet-count-imported">{plural(result.imported, 'row')} imported</span>
        <span className="sheet-count">{result.unchanged} unchanged</span>
        <span className={`sheet-count ${result.errors > 0 ? 'sheet-count-error' : ''}`}>{plural(result.errors, 'error')}</span>
        <span className={`sheet-count ${result.conflicts > 0 ? 'sheet-count-conflict' : ''}`}>{plural(result.conflicts, 'conflict')}</span>
      </p>
      {problems.length > 0 ? (
        <ul className="sheet-problems" data-testid="sheet-problems">
          {problems.map((r) => (
            <li key={`${r.sheet}-${r.row}`} className={`sheet-problem sheet-problem-${r.status}`} data-testid={`sheet-${r.status}`}>
              <strong>{r.status === 'conflict' ? 'Conflict' : 'Error'}:</strong> {r.message ?? `${r.sheet} row ${r.row}`}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">Every row was stored or was already as the sheet says.</p>
      )}
      {result.conflicts > 0 ? <p className="muted small">Conflicts keep what is stored: download a fresh sheet to see it, or change it on screen.</p> : null}
    </div>
  );
}

export function SpreadsheetPanel({ machine, shiftStartMs, isoWeek, onImported }: SpreadsheetPanelProps) {
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<UploadState>({ status: 'idle' });
  const busy = state.status === 'uploading' || state.status === 'processing';

  const upload = async (file: File) => {
    setState({ status: 'uploading', fileName: file.name, fraction: 0 });
    try {
      const result = await uploadShiftSheet(machine, file, (fraction) =>
        setState(fraction < 1 ? { status: 'uploading', fileName: file.name, fraction } : { status: 'processing', fileName: file.name }),
      );
      setState({ status: 'done', fileName: file.name, result });
      if (result.imported > 0) onImported?.(result);
    } catch (error) {
      setState({ status: 'failed', fileName: file.name, message: errorMessage(error) });
    } finally {
      if (input.current) input.current.value = '';
    }
  };

  return (
    <section className="sheet-panel" aria-label="Shift sheet" data-testid="spreadsheet-panel">
      <h3 className="sheet-title">Shift sheet (Excel)</h3>
      <p className="muted small">Fill in stops, scrap, crew and notes in Excel, then upload the file here. What is already entered comes prefilled.</p>
      <div className="sheet-actions">
        <a className="button" href={shiftSheetUrl(machine, shiftStartMs)} download data-testid="sheet-download-shift">
          Download shift sheet
        </a>
        <a className="button" href={weekSheetUrl(machine, isoWeek)} download data-testid="sheet-download-week">
          Download week sheet
        </a>
        <label className={`button button-primary ${busy ? 'is-disabled' : ''}`} htmlFor={inputId}>
          Upload filled sheet…
        </label>
        <input
          id={inputId}
          ref={input}
          className="sheet-file"
          type="file"
          accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          disabled={busy}
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void upload(file);
          }}
          data-testid="sheet-upload"
        />
      </div>
      {state.status === 'uploading' || state.status === 'processing' ? (
        <div className="sheet-progress">
          <span>{state.status === 'uploading' ? `Uploading ${state.fileName}…` : `Checking every row of ${state.fileName}…`}</span>
          <progress max={1} value={state.status === 'uploading' ? state.fraction : undefined} aria-label={`Upload of ${state.fileName}`} />
        </div>
      ) : null}
      {state.status === 'failed' ? (
        <p className="sheet-failed" role="alert" data-testid="sheet-failed">
          {state.fileName}: {state.message}
        </p>
      ) : null}
      {state.status === 'done' ? <ResultList result={state.result} /> : null}
    </section>
  );
}
