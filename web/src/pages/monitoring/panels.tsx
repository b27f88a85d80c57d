// The Monitoring page's side panels: what the chart found in words, the signals (newest first),
// capability with its 95 % intervals, and the machine's open SPC and maintenance alerts.
import { Link } from 'react-router-dom';
import { DateTime } from 'luxon';
import { listAlerts } from '../../api/alerts.js';
import type { Capability, CapabilityIndex, SpcChart } from '../../api/spc.js';
import { useResource } from '../../hooks/use-resource.js';
import { LoadFailed, Spinner } from '../../components/feedback.js';

/** Plant-local time with its offset, as the audit pages show it ("Fri 4 Dec 14:05 -08:00"). */
export const plantTime = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).toFormat('ccc d LLL HH:mm ZZ');

/** One line per rule that fired: how often, first and latest (a long drift fires rule 1 at every point). */
function bySummary(signals: SpcChart['signals']) {
  const rules = new Map<string, { rule: string; ruleName: string; count: number; first: number; latest: number; message: string }>();
  for (const s of signals) {
    const entry = rules.get(s.rule);
    if (!entry) rules.set(s.rule, { rule: s.rule, ruleName: s.ruleName, count: 1, first: s.at, latest: s.at, message: s.message });
    else {
      entry.count++;
      entry.first = Math.min(entry.first, s.at);
      if (s.at >= entry.latest) { entry.latest = s.at; entry.message = s.message; }
    }
  }
  return [...rules.values()].sort((a, b) => b.latest - a.latest);
}

export function SignalsList({ chart, zone }: { chart: SpcChart; zone: string }) {
  const signals = [...chart.signals].sort((a, b) => b.at - a.at);
  const summary = bySummary(signals);
  return (
    <section className="mon-card" data-testid="spc-signals">
      <h2>Signals <span className="mon-count">{signals.length}</span></h2>
      {summary.length > 0 ? (
        <ul className="mon-signal-summary" data-testid="spc-signal-summary">
          {summary.map((r) => (
            <li key={r.rule} className={r.rule === 'ewma-drift' ? 'mon-summary-drift' : undefined} data-testid={`spc-signal-summary-${r.rule}`}>
              <b>{r.ruleName}</b>{' '}
              {r.count === 1 ? `once, ${plantTime(r.latest, zone)}` : `${r.count} times, ${plantTime(r.first, zone)} to ${plantTime(r.latest, zone)}`}
            </li>
          ))}
        </ul>
      ) : null}
      {chart.limits === null ? (
        <p className="muted">No signals without control limits: set them from a baseline below.</p>
      ) : signals.length === 0 ? (
        <p className="muted">No signals in this window: the process stayed within its limits.</p>
      ) : (
        <ol className="mon-signals">
          {signals.map((signal, i) => (
            <li key={`${signal.rule}-${signal.at}-${i}`} data-testid="spc-signal">
              <time dateTime={new Date(signal.at).toISOString()}>{plantTime(signal.at, zone)}</time>
              <span className="mon-signal-rule">{signal.ruleName}</span>
              <span className="mon-signal-message">{signal.message}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function IndexRow({ name, index, hint }: { name: string; index: CapabilityIndex; hint: string }) {
  return (
    <tr data-testid={`capability-${name.toLowerCase()}`}>
      <th scope="row" title={hint}>{name}</th>
      {index === null ? (
        <td colSpan={2} className="muted">no data</td>
      ) : (
        <>
          <td className="num mon-index">{index.value.toFixed(2)}</td>
          <td className="num muted">{index.lower.toFixed(2)} – {index.upper.toFixed(2)}</td>
        </>
      )}
    </tr>
  );
}

export function CapabilityCard({ capability, unit }: { capability: Capability; unit: string }) {
  const sigma = (value: number | null) => (value === null ? 'no data' : `${value.toPrecision(3)} ${unit}`);
  return (
    <section className="mon-card" data-testid="spc-capability">
      <h2>Capability</h2>
      <table className="mon-capability">
        <thead>
          <tr><th scope="col">Index</th><th scope="col" className="num">Value</th><th scope="col" className="num">95 % interval</th></tr>
        </thead>
        <tbody>
          <IndexRow name="Cp" index={capability.cp} hint="spec width against the short-term (within) spread" />
          <IndexRow name="Cpk" index={capability.cpk} hint="like Cp, towards the nearer spec limit" />
          <IndexRow name="Pp" index={capability.pp} hint="spec width against the overall spread" />
          <IndexRow name="Ppk" index={capability.ppk} hint="like Pp, towards the nearer spec limit" />
        </tbody>
      </table>
      <p className="mon-capability-basis muted">
        {capability.n.toLocaleString('en-US')} readings · σ within {sigma(capability.sigmaWithin)} · σ overall {sigma(capability.sigmaOverall)}
      </p>
      {capability.reasons.length ? (
        <ul className="mon-reasons" data-testid="capability-reasons">
          {capability.reasons.map((reason) => <li key={reason}>{reason}</li>)}
        </ul>
      ) : null}
    </section>
  );
}

export function MachineAlerts({ machine, zone }: { machine: string; zone: string }) {
  const alerts = useResource(
    async () => {
      const [spc, maintenance] = await Promise.all([listAlerts({ state: 'open', machine, kind: 'spc' }), listAlerts({ state: 'open', machine, kind: 'maintenance' })]);
      return [...spc, ...maintenance].sort((a, b) => b.raisedAt.localeCompare(a.raisedAt));
    },
    [machine],
    ['alerts'],
  );
  return (
    <section className="mon-card" data-testid="spc-alerts">
      <h2>Open alerts</h2>
      {alerts.error && !alerts.data ? <LoadFailed error={alerts.error} onRetry={alerts.reload} /> : null}
      {alerts.loading && !alerts.data ? <Spinner inline /> : null}
      {alerts.data && alerts.data.length === 0 ? <p className="muted">No open SPC or maintenance alerts for this machine.</p> : null}
      {alerts.data && alerts.data.length > 0 ? (
        <ul className="mon-alerts">
          {alerts.data.map((alert) => (
            <li key={alert.id} data-testid={`spc-alert-${alert.kind}`}>
              <span className={`badge ${alert.kind === 'spc' ? 'badge-warn' : 'badge-muted'}`}>{alert.kind === 'spc' ? 'SPC' : 'Maintenance'}</span>
              <span>{alert.message}</span>
              <time className="muted" dateTime={alert.raisedAt}>{plantTime(Date.parse(alert.raisedAt), zone)}</time>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="button-row">
        <Link className="button" to="/alerts" data-testid="spc-alerts-link">All alerts</Link>
        <Link className="button" to="/maintenance" data-testid="spc-maintenance-link">Machine health</Link>
      </div>
    </section>
  );
}
