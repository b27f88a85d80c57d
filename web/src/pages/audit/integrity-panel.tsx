// The trail's integrity at a glance (issue 16): the last verification — when, by what (the daily
// job, the start, someone's manual check, the CLI), the result and how many entries — and a button
// to verify now (the same walk as `qmfg audit verify`).
import { useState } from 'react';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { auditVerificationSchema, verificationRunSchema, type VerificationRunView } from '../../../../src/features/records/schemas.js';
import { requestJson } from '../../api/client.js';
import { useResource } from '../../hooks/use-resource.js';
import './integrity-panel.css';

const ORIGIN_LABELS: Record<VerificationRunView['origin'], string> = {
  daily: 'daily check (server)',
  start: 'check after the server started',
  manual: 'manual check',
  cli: 'command line (qmfg audit verify)',
};

export function AuditIntegrityPanel({ zone }: { zone: string }) {
  const runs = useResource(() => requestJson('GET', '/api/audit/verifications', z.array(verificationRunSchema)), []);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const verifyNow = async () => {
    setBusy(true);
    setError(null);
    try {
      await requestJson('GET', '/api/audit/verify', auditVerificationSchema);
      await runs.reload();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const last = runs.data?.[0];
  const when = last ? DateTime.fromMillis(last.finishedAt, { zone }) : null;
  return (
    <div className={`au-panel ${last ? (last.ok ? 'au-ok' : 'au-bad') : ''}`} data-testid="audit-integrity">
      <div className="au-summary">
        <strong className="au-title">Trail integrity</strong>
        {runs.loading && !runs.data ? <span className="muted">loading…</span> : null}
        {runs.data && !last ? <span data-testid="audit-integrity-none">Not verified yet.</span> : null}
        {last && when ? (
          <span data-testid="audit-integrity-last">
            {last.ok ? 'Intact' : 'NOT intact'} — {last.entries.toLocaleString('en-US')} entries checked, {when.toFormat('ccc d LLL yyyy HH:mm:ss ZZZZ')} ({ORIGIN_LABELS[last.origin]}
            {last.origin === 'manual' ? ` by ${last.actor}` : ''})
          </span>
        ) : null}
        <button type="button" className="button" onClick={() => void verifyNow()} disabled={busy} data-testid="audit-verify-now">
          {busy ? 'Verifying…' : 'Verify now'}
        </button>
      </div>
      {last && !last.ok ? (
        <div className="au-problem" data-testid="audit-integrity-problem">
          {last.badEntryId !== null ? `Entry ${last.badEntryId}: ` : ''}
          {last.message}
        </div>
      ) : null}
      {error ? <div className="au-problem">{error}</div> : null}
    </div>
  );
}
