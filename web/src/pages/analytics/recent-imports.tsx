// The last imported sensor files (file, machine, cycles, when, who) with "Undo" for those allowed
// to take an import back out: a file that went to the wrong machine is removed with a reason, and
// its machine's counts, stops and OEE are as if it had never come.
import { useEffect, useId, useState } from 'react';
import type { Machine } from '../../../../src/features/plant/schemas.js';
import { errorMessage } from '../../api/client.js';
import { listImports, undoImport, type IngestFile } from '../../api/analytics.js';
import { useCan } from '../../auth/auth.js';
import { Modal } from '../../components/dialogs.js';
import { ErrorBanner } from '../../components/feedback.js';
import { useToast } from '../../components/toasts.js';
import { useResource } from '../../hooks/use-resource.js';
import { waitForReplan } from '../../api/live.js';
import { formatCount, formatInstant } from './format.js';

const SHOWN = 6;
const SOURCE_LABELS: Record<string, string> = { upload: 'upload', file: 'drop folder', demo: 'demo data' };

function UndoDialog({ file, machineName, onClose, onDone }: { file: IngestFile; machineName: string; onClose: () => void; onDone: () => void }) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const reasonId = useId();
  const toast = useToast();
  const ready = reason.trim().length >= 3;
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const result = await undoImport(file.id, reason.trim());
      toast.success(`${result.file} taken out of ${machineName}: ${formatCount(result.cyclesRemoved)} cycles removed`);
      onDone();
      onClose();
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };
  return (
    <Modal
      title={`Undo the import of ${file.name}?`}
      onClose={onClose}
      closeable={!busy}
      testId="undo-import-dialog"
      footer={
        <>
          <button type="button" className="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="button" className="button button-danger" onClick={confirm} disabled={busy || !ready} data-testid="undo-import-confirm">
            {busy ? <span className="spinner spinner-small" aria-hidden="true" /> : null}
            Undo import
          </button>
        </>
      }
    >
      <p>
        Its {formatCount(file.cycles)} cycles are removed from {machineName}. Counts, stops, OEE and work-order progress are worked out again as if the file had
        never been imported, and the plan is updated. The file can be imported again afterwards.
      </p>
      <div className="field">
        <label htmlFor={reasonId}>Why? (kept in the audit trail)</label>
        <textarea id={reasonId} rows={3} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="e.g. Line 7 file uploaded to Line 6 by mistake" data-testid="undo-import-reason" />
        {!ready && reason.length > 0 ? <p className="field-hint">Write at least a few words.</p> : null}
      </div>
      {error ? <ErrorBanner message={error} /> : null}
    </Modal>
  );
}

export function RecentImports({ machines, zone, version, onUndone }: { machines: readonly Machine[]; zone: string; version: number; onUndone: (fileId: number) => void }) {
  const canUndo = useCan('production:undo-import');
  const imports = useResource(() => listImports({ sources: ['upload', 'file', 'demo'], limit: SHOWN }), [], ['production'], waitForReplan);
  const [undoing, setUndoing] = useState<IngestFile | null>(null);
  const name = (key: string) => machines.find((m) => m.key === key)?.name ?? key;
  useEffect(() => {
    if (version > 0) void imports.reload();
  }, [version]);
  const rows = imports.data ?? [];
  if (rows.length === 0) return null;
  return (
    <div className="recent-imports" data-testid="recent-imports">
      <h3>Recent imports</h3>
      <div className="table-wrap">
        <table className="table recent-imports-table">
          <thead>
            <tr>
              <th>File</th>
              <th>Machine</th>
              <th className="num">Cycles</th>
              <th>When</th>
              <th>Who</th>
              {canUndo ? <th aria-label="Actions" /> : null}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id} className={row.status === 'undone' ? 'import-undone' : undefined} data-testid={`recent-import-${row.id}`}>
                <td className="mono">{row.name}</td>
                <td>{name(row.machine)}</td>
                <td className="num">{row.status === 'undone' ? <span className="muted">undone</span> : formatCount(row.cycles)}</td>
                <td>{formatInstant(row.createdAt, zone)}</td>
                <td>{row.createdBy ?? SOURCE_LABELS[row.source] ?? row.source}</td>
                {canUndo ? (
                  <td>
                    {row.status === 'active' && row.cycles > 0 ? (
                      <button type="button" className="button button-small button-danger-outline" onClick={() => setUndoing(row)} data-testid={`undo-import-${row.id}`}>
                        Undo
                      </button>
                    ) : row.status === 'undone' ? (
                      <span className="muted small" title={row.message ?? undefined}>
                        Undone
                      </span>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {imports.error ? <ErrorBanner message={errorMessage(imports.error)} /> : null}
      {undoing ? (
        <UndoDialog
          file={undoing}
          machineName={name(undoing.machine)}
          onClose={() => setUndoing(null)}
          onDone={() => {
            void imports.reload();
            onUndone(undoing.id);
          }}
        />
      ) : null}
    </div>
  );
}
