// Importing a work-order file in two steps: the server reads the file and says what it would create
// (nothing is written), the planner looks at every row — the good ones and the ones with errors,
// which are skipped — and only "Import N work orders" sends the file again to create them. Closing
// before that writes nothing.
import { useEffect, useState } from 'react';
import { errorMessage } from '../../api/client.js';
import { importWorkOrders, previewWorkOrderImport, type ImportPreview, type ImportResult } from '../../api/orders.js';
import { Modal } from '../../components/dialogs.js';
import { ErrorBanner, Spinner } from '../../components/feedback.js';
import { formatNumber, useNumberLocale } from '../../lib/forms.js';

/** Column names as the template's header (and the user's file) has them. */
const COLUMN: Record<string, string> = {
  lot: 'Lot', product: 'Product', quantity: 'Quantity', due: 'Due', priority: 'Priority', notes: 'Notes', rateMode: 'Rate mode', file: 'File', row: 'Row',
};
const columnOf = (field: string) => COLUMN[field] ?? field;

type Step =
  | { step: 'reading' }
  | { step: 'preview'; preview: ImportPreview }
  | { step: 'importing'; preview: ImportPreview }
  | { step: 'done'; result: ImportResult }
  | { step: 'failed'; message: string; preview?: ImportPreview };

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function ImportDialog({ file, onClose, onImported }: { file: File; onClose: () => void; onImported: () => void }) {
  const locale = useNumberLocale();
  const [state, setState] = useState<Step>({ step: 'reading' });

  useEffect(() => {
    let current = true;
    setState({ step: 'reading' });
    previewWorkOrderImport(file).then(
      (preview) => current && setState({ step: 'preview', preview }),
      (error: unknown) => current && setState({ step: 'failed', message: errorMessage(error) }),
    );
    return () => {
      current = false;
    };
  }, [file]);

  const confirm = async (preview: ImportPreview) => {
    setState({ step: 'importing', preview });
    try {
      const result = await importWorkOrders(file);
      setState({ step: 'done', result });
      onImported();
    } catch (error) {
      setState({ step: 'failed', message: errorMessage(error), preview });
    }
  };

  const busy = state.step === 'reading' || state.step === 'importing';
  const preview = state.step === 'preview' || state.step === 'importing' ? state.preview : null;
  const footer =
    preview && state.step !== 'done' ? (
      <>
        <button type="button" className="button" onClick={onClose} disabled={busy} data-testid="import-cancel">
          Cancel
        </button>
        <button
          type="button"
          className="button button-primary"
          onClick={() => void confirm(preview)}
          disabled={busy || preview.toCreate === 0}
          data-testid="import-confirm"
        >
          {state.step === 'importing' ? <span className="spinner spinner-small" aria-hidden="true" /> : null}
          {preview.toCreate === 0 ? 'Nothing to import' : `Import ${plural(preview.toCreate, 'work order')}`}
        </button>
      </>
    ) : (
      <button type="button" className="button button-primary" onClick={onClose} disabled={busy} data-testid="import-close">
        Close
      </button>
    );

  return (
    <Modal title={`Import ${file.name}`} onClose={onClose} closeable={!busy} wide testId="import-dialog" footer={footer}>
      {state.step === 'reading' ? <Spinner label={`Reading ${file.name}…`} /> : null}
      {state.step === 'failed' ? <ErrorBanner message={state.message} testId="import-error" /> : null}
      {preview ? <PreviewTable preview={preview} locale={locale} /> : null}
      {state.step === 'done' ? <ImportDone result={state.result} /> : null}
    </Modal>
  );
}

function PreviewTable({ preview, locale }: { preview: ImportPreview; locale: string }) {
  return (
    <div className="import-result" data-testid="import-preview">
      <p className={`import-summary${preview.withErrors > 0 ? ' import-summary-warn' : ''}`} data-testid="import-preview-summary">
        {plural(preview.toCreate, 'new work order')} to import
        {preview.withErrors > 0 ? `, ${plural(preview.withErrors, 'row')} with errors` : ''}
      </p>
      <p className="muted">
        {preview.withErrors > 0
          ? 'Rows with errors are skipped; the others are imported. To import them too, fix them in the file and choose it again. '
          : ''}
        Nothing is saved until you press Import.
      </p>
      <div className="table-wrap">
        <table className="table import-preview" data-testid="import-preview-table">
          <thead>
            <tr>
              <th scope="col" className="num">
                Row
              </th>
              <th scope="col">Lot</th>
              <th scope="col">Product</th>
              <th scope="col" className="num">
                Quantity
              </th>
              <th scope="col">Due</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((row) => (
              <tr key={row.row} className={row.create ? undefined : 'import-row-error'} data-testid={`import-preview-row-${row.row}`}>
                <td className="num" data-label="Row">{row.row}</td>
                <td className="mono" data-label="Lot">{row.create?.lot ?? row.lot ?? '—'}</td>
                <td data-label="Product">{row.create?.productName ?? row.product ?? '—'}</td>
                <td className="num" data-label="Quantity">{row.create ? formatNumber(row.create.quantity, locale) : (row.quantity ?? '—')}</td>
                <td data-label="Due">{(row.create ? row.create.due : row.due)?.replace('T', ' ') ?? '—'}</td>
                <td data-label="Status">
                  {row.create ? (
                    <span className="import-status-new">New</span>
                  ) : (
                    <ul className="import-row-problems">
                      {row.errors.map((e, i) => (
                        <li key={`${e.field}-${i}`}>
                          <strong>{columnOf(e.field)}:</strong> {e.message}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function ImportDone({ result }: { result: ImportResult }) {
  const rowsWithErrors = new Set(result.errors.map((e) => e.row)).size;
  return (
    <div className="import-result" data-testid="import-result">
      <p className={`import-summary${rowsWithErrors > 0 ? ' import-summary-warn' : ''}`} data-testid="import-summary">
        {result.imported} imported{rowsWithErrors > 0 ? `, ${plural(rowsWithErrors, 'row')} skipped for errors` : ''}
      </p>
      {rowsWithErrors > 0 ? (
        <div className="table-wrap">
          <table className="table import-errors" data-testid="import-errors">
            <thead>
              <tr>
                <th scope="col" className="num">
                  Row
                </th>
                <th scope="col">Column</th>
                <th scope="col">Problem</th>
              </tr>
            </thead>
            <tbody>
              {result.errors.map((e, i) => (
                <tr key={`${e.row}-${e.field}-${i}`} data-testid={`import-error-row-${e.row}`}>
                  <td className="num">{e.row}</td>
                  <td>{columnOf(e.field)}</td>
                  <td>{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
