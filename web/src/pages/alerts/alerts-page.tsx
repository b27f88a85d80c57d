// Alerts: the list (open first, filter by state, machine and kind), acknowledgement with a comment,
// the history of resolved alerts, and the user's own subscriptions (which alerts reach them by mail).
import { useState, type FormEvent } from 'react';
import { ALERT_KINDS } from '../../../../src/core/alerts/index.js';
import { ROLES } from '../../../../src/core/permissions.js';
import type { AlertView } from '../../../../src/features/alerts/schemas.js';
import { acknowledgeAlert, listAlerts, listSubscriptions, subscribe, unsubscribe } from '../../api/alerts.js';
import { errorMessage } from '../../api/client.js';
import { EmptyState, LoadFailed, Spinner } from '../../components/feedback.js';
import { useToast } from '../../components/toasts.js';
import { useResource } from '../../hooks/use-resource.js';

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '–');

function AcknowledgeForm({ alert, onDone }: { alert: AlertView; onDone: () => void }) {
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const toast = useToast();
  const save = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await acknowledgeAlert(alert.id, comment);
      toast.success(`Alert ${alert.id} acknowledged`);
      onDone();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <form onSubmit={save} className="ack-form" data-testid={`ack-form-${alert.id}`}>
      <input value={comment} onChange={(e) => setComment(e.target.value)} placeholder="What was done?" aria-label="Comment" data-testid="ack-comment" />
      <button type="submit" className="button button-small" data-testid="ack-save">
        Acknowledge
      </button>
      {error ? <span className="field-error" role="alert">{error}</span> : null}
    </form>
  );
}

function Subscriptions() {
  const subscriptions = useResource(listSubscriptions, [], ['alerts']);
  const [scope, setScope] = useState<'machine' | 'group' | 'role'>('machine');
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const add = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await subscribe(scope, key.trim());
      setKey('');
      setError(null);
      await subscriptions.reload();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <section className="card" data-testid="alert-subscriptions">
      <h2>My subscriptions</h2>
      <p className="muted">Alerts of these machines, process groups or roles reach you by e-mail (your account needs an e-mail address).</p>
      <ul>
        {(subscriptions.data ?? []).map((s) => (
          <li key={s.id} data-testid={`subscription-${s.scope}-${s.scopeKey}`}>
            {s.scope} <span className="mono">{s.scopeKey}</span>{' '}
            <button type="button" className="button button-small" onClick={() => void unsubscribe(s.id).then(subscriptions.reload)}>
              Remove
            </button>
          </li>
        ))}
      </ul>
      <form onSubmit={add} className="button-row">
        <select value={scope} onChange={(e) => setScope(e.target.value as typeof scope)} aria-label="Subscribe by" data-testid="subscription-scope">
          <option value="machine">Machine</option>
          <option value="group">Process group</option>
          <option value="role">Role</option>
        </select>
        {scope === 'role' ? (
          <select value={key} onChange={(e) => setKey(e.target.value)} aria-label="Role" data-testid="subscription-key">
            <option value="">Choose…</option>
            {ROLES.map((role) => (
              <option key={role}>{role}</option>
            ))}
          </select>
        ) : (
          <input value={key} onChange={(e) => setKey(e.target.value)} placeholder={scope === 'machine' ? 'machine key, e.g. line7' : 'group key'} aria-label="Key" data-testid="subscription-key" />
        )}
        <button type="submit" className="button" data-testid="subscription-add">
          Subscribe
        </button>
      </form>
      {error ? <p className="field-error" role="alert">{error}</p> : null}
    </section>
  );
}

export function AlertsPage() {
  const [state, setState] = useState<'' | 'open' | 'resolved'>('');
  const [machine, setMachine] = useState('');
  const [kind, setKind] = useState('');
  const alerts = useResource(() => listAlerts({ state, machine: machine.trim(), kind }), [state, machine, kind], ['alerts']);
  return (
    <div className="page" data-testid="page-alerts">
      <div className="page-header">
        <h1>Alerts</h1>
        <p className="page-subtitle">Stops, slow running, late lots, missing data and QC gates waiting, as the rules raise them; acknowledge with what was done.</p>
      </div>
      <div className="button-row">
        <select value={state} onChange={(e) => setState(e.target.value as typeof state)} aria-label="State" data-testid="filter-state">
          <option value="">All</option>
          <option value="open">Open</option>
          <option value="resolved">Resolved (history)</option>
        </select>
        <select value={kind} onChange={(e) => setKind(e.target.value)} aria-label="Kind" data-testid="filter-kind">
          <option value="">Every kind</option>
          {ALERT_KINDS.map((k) => (
            <option key={k}>{k}</option>
          ))}
        </select>
        <input value={machine} onChange={(e) => setMachine(e.target.value)} placeholder="machine key" aria-label="Machine" data-testid="filter-machine" />
      </div>
      {alerts.error ? <LoadFailed error={alerts.error} onRetry={alerts.reload} /> : null}
      {alerts.loading && !alerts.data ? <Spinner /> : null}
      {alerts.data?.length === 0 ? <EmptyState title="No alerts">Nothing matches these filters.</EmptyState> : null}
      {alerts.data?.length ? (
        <div className="table-wrap">
          <table className="table" data-testid="alerts-table">
            <thead>
              <tr>
                <th>Raised</th>
                <th>Alert</th>
                <th>Machine</th>
                <th>State</th>
                <th>Resolved</th>
                <th>Acknowledged</th>
              </tr>
            </thead>
            <tbody>
              {alerts.data.map((alert) => (
                <tr key={alert.id} data-testid={`alert-${alert.id}`} className={alert.state === 'open' ? 'alert-open' : undefined}>
                  <td>{when(alert.raisedAt)}</td>
                  <td className="strong">{alert.message}</td>
                  <td className="mono">{alert.machine ?? '–'}</td>
                  <td>{alert.state}</td>
                  <td>{when(alert.resolvedAt)}</td>
                  <td>{alert.acknowledgedAt ? `${alert.acknowledgedBy}: ${alert.ackComment ?? ''}` : <AcknowledgeForm alert={alert} onDone={() => void alerts.reload()} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <Subscriptions />
    </div>
  );
}
