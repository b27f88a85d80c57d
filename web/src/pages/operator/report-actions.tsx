// The state of the shift report and what can be done with it: the operator submits it, the lead
// signs it (password and meaning, like a gate sign-off) or reopens a signed one with a reason. A
// signed report shows who signed and when; a reopened one what changed since. And the handover of
// the previous shift, shown until acknowledged.
import { useState } from 'react';
import { DateTime } from 'luxon';
import { acknowledgeHandover, reopenShiftLog, signShiftLog, submitShiftLog, type OperatorView, type ShiftLogView } from '../../api/operator.js';
import { errorMessage } from '../../api/client.js';
import { useAuth } from '../../auth/auth.js';
import { SignatureDialog, SignatureLine } from '../../auth/signature-dialog.js';
import { ReasonDialog } from '../../components/reason-dialog.js';
import { ErrorBanner } from '../../components/feedback.js';
import { useToast } from '../../components/toasts.js';
import { shiftLabel } from './operator-format.js';

const STATE_LABELS: Record<ShiftLogView['state'], string> = { draft: 'Draft', submitted: 'Submitted', signed: 'Signed', reopened: 'Reopened' };
const STATE_BADGES: Record<ShiftLogView['state'], string> = { draft: 'badge-muted', submitted: 'badge-warn', signed: 'badge-ok', reopened: 'badge-night' };
const CHANGE_LABELS: Record<string, string> = { notes: 'notes', openIssues: 'open issues', reportedCount: 'counted units', crew: 'crew', scrap: 'scrap', stopReasons: 'stop reasons' };

export function StateBadge({ log, testId }: { log: ShiftLogView; testId?: string }) {
  return (
    <span className={`badge badge-large ${STATE_BADGES[log.state]}`} data-testid={testId}>
      {STATE_LABELS[log.state]}
    </span>
  );
}

const when = (iso: string | null, zone: string) => (iso ? DateTime.fromISO(iso, { zone }).toFormat('d LLL yyyy, HH:mm') : '');

export function ReportCard({ view, zone, onLog }: { view: OperatorView; zone: string; onLog: (log: ShiftLogView) => void }) {
  const auth = useAuth();
  const toast = useToast();
  const [dialog, setDialog] = useState<'sign' | 'reopen' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { log } = view;
  const machine = view.machine.key;
  const shift = view.shift.startMs;
  const canReport = auth.can('production:report');
  const canSign = auth.can('shifts:sign');
  // people by name, not by user name: the list of the line's people has both
  const nameOf = (username: string | null) => view.people.find((p) => p.username === username)?.name ?? username;
  const signer = log.signatures.find((s) => s.valid)?.printedName ?? nameOf(log.signedBy);

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      onLog(await submitShiftLog(machine, shift, log.version));
      toast.success('Shift report submitted: the lead can sign it now');
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="op-card op-report" aria-labelledby="op-report-title" data-testid="op-report">
      <h2 id="op-report-title" className="op-card-title">
        Shift report <StateBadge log={log} />
      </h2>
      {error ? <ErrorBanner message={error} testId="report-error" /> : null}
      {log.submittedBy ? (
        <p data-testid="report-submitted">
          Submitted by <strong>{nameOf(log.submittedBy)}</strong> · {when(log.submittedAt, zone)}
        </p>
      ) : null}
      {log.signatures.map((s) => (
        <SignatureLine key={s.id} signature={s} zone={zone} testId={`report-signature-${s.id}`} />
      ))}
      {log.state === 'signed' ? (
        <p className="op-locked" data-testid="report-locked">
          Signed by <strong>{signer}</strong> · {when(log.signedAt, zone)}. The report is locked: a lead can reopen it.
        </p>
      ) : null}
      {log.state === 'reopened' ? (
        <p className="banner banner-info" data-testid="report-reopened">
          Reopened by {nameOf(log.reopenedBy)} · {when(log.reopenedAt, zone)}: {log.reopenReason}.{' '}
          {log.changedSinceSigning.length > 0 ? `Changed since signing: ${log.changedSinceSigning.map((c) => CHANGE_LABELS[c] ?? c).join(', ')}.` : 'Nothing changed since signing yet.'}
        </p>
      ) : null}
      <div className="op-form-actions">
        {canReport && (log.state === 'draft' || log.state === 'reopened') ? (
          <button type="button" className="button button-primary op-wide-button" onClick={submit} disabled={busy} data-testid="report-submit">
            Submit shift report
          </button>
        ) : null}
        {canSign && log.state === 'submitted' ? (
          <button type="button" className="button button-primary op-wide-button" onClick={() => setDialog('sign')} data-testid="report-sign">
            Sign report…
          </button>
        ) : null}
        {canSign && log.state === 'signed' ? (
          <button type="button" className="button" onClick={() => setDialog('reopen')} data-testid="report-reopen">
            Reopen…
          </button>
        ) : null}
      </div>
      {dialog === 'sign' ? (
        <SignatureDialog
          title={`Sign the shift report of ${view.machine.name}`}
          what={
            <>
              {view.machine.name}, shift <strong>{view.shift.label}</strong>: {view.stops.length} stops ({view.openStops} without a reason), {log.scrap.length} scrap entries, {log.headCount} people. The report is locked once signed.
            </>
          }
          defaultMeaning="approved"
          requireReason={false}
          confirmLabel="Sign report"
          onSign={async (signature, reason) => {
            onLog(await signShiftLog(machine, shift, log.version, signature, reason));
            setDialog(null);
            toast.success('Shift report signed');
          }}
          onClose={() => setDialog(null)}
        />
      ) : null}
      {dialog === 'reopen' ? (
        <ReasonDialog
          title="Reopen the signed shift report"
          confirmLabel="Reopen"
          onConfirm={async (reason) => {
            onLog(await reopenShiftLog(machine, shift, log.version, reason));
            toast.success('Shift report reopened: changes are shown against the signed version');
          }}
          onClose={() => setDialog(null)}
        >
          <p>The signature stays in the record; what changes from now on is shown against what was signed.</p>
        </ReasonDialog>
      ) : null}
    </section>
  );
}

/** Above everything on a signed report: who signed it and when — the screen is read-only. */
export function SignedBanner({ view, zone }: { view: OperatorView; zone: string }) {
  const { log } = view;
  if (log.state !== 'signed') return null;
  const signature = log.signatures.find((s) => s.valid);
  const name = signature?.printedName ?? view.people.find((p) => p.username === log.signedBy)?.name ?? log.signedBy;
  return (
    <p className="op-locked op-signed-banner" role="status" data-testid="op-signed-banner">
      Signed by <strong>{name}</strong> · {when(log.signedAt, zone)}. Read-only: a lead can reopen the report.
    </p>
  );
}

/** The previous shift's notes and open issues, until this user acknowledged them. */
export function HandoverPanel({ view, zone, onAcknowledged }: { view: OperatorView; zone: string; onAcknowledged: (handover: ShiftLogView) => void }) {
  const auth = useAuth();
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const handover = view.handover;
  const me = auth.me?.user.username;
  if (!handover || (!handover.notes && !handover.openIssues)) return null;
  if (handover.acknowledgements.some((a) => a.username === me)) return null;
  const acknowledge = async () => {
    setBusy(true);
    setError(null);
    try {
      onAcknowledged(await acknowledgeHandover(view.machine.key, handover.shift.startMs, comment.trim() || null));
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };
  return (
    <section className="op-card op-handover" aria-labelledby="op-handover-title" data-testid="op-handover">
      <h2 id="op-handover-title" className="op-card-title">
        Handover from the previous shift <span className="op-card-sum">{shiftLabel(handover.shift.startMs, handover.shift.endMs, zone)}</span>
      </h2>
      {error ? <ErrorBanner message={error} testId="handover-error" /> : null}
      <div className="op-handover-body">
        <div>
          <h3 className="op-subtitle">Notes</h3>
          <p className="op-text" data-testid="handover-notes">
            {handover.notes || '—'}
          </p>
        </div>
        <div>
          <h3 className="op-subtitle">Open issues</h3>
          <p className="op-text op-issues" data-testid="handover-issues">
            {handover.openIssues || '—'}
          </p>
        </div>
      </div>
      {auth.can('production:report') ? (
        <div className="op-form-actions">
          <input value={comment} onChange={(e) => setComment(e.target.value)} placeholder="Comment (optional)" aria-label="Comment on the handover" maxLength={2000} data-testid="handover-comment" />
          <button type="button" className="button button-primary" onClick={acknowledge} disabled={busy} data-testid="handover-ack">
            Acknowledge
          </button>
        </div>
      ) : null}
    </section>
  );
}
