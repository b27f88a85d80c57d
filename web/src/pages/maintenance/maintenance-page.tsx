// Machine health: every machine with its verdict (ok / watch / maintenance suggested) and the
// reasons, MTBF sparklines per stop class, the micro-stop rate with the drift finding marked; and a
// correlation panel (machine, two metrics, period → scatter with fit line and the finding in words).
import { useState } from 'react';
import { listMachines } from '../../api/plant.js';
import { getCorrelation, getHealth, listAnalysisMetrics, type AnalysisBucket, type HealthResponse } from '../../api/maintenance.js';
import { useResource } from '../../hooks/use-resource.js';
import { LoadFailed, Spinner } from '../../components/feedback.js';
import { CorrelationScatter, MicroStopChart, MtbfSparkline } from './charts.js';
import './maintenance.css';
import { ConditionTabs } from '../monitoring/condition-tabs.js';

const DAY = 86_400_000;
const PERIODS = [7, 14, 28, 90] as const;

const seconds = (value: number | null) => (value === null ? '—' : value >= 3600 ? `${(value / 3600).toFixed(1)} h` : value >= 60 ? `${(value / 60).toFixed(1)} min` : `${value.toFixed(1)} s`);

function endOfToday(): number {
  const now = new Date();
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1).getTime();
}

function dateInput(ms: number): string {
  const d = new Date(ms - DAY);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function MachineHealthCard({ machine, name, from, to }: { machine: string; name: string; from: number; to: number }) {
  const [open, setOpen] = useState(false);
  const health = useResource(() => getHealth(machine, from, to), [machine, from, to], ['production']);
  if (health.loading && !health.data) return <section className="health-card"><h2>{name}</h2><Spinner inline /></section>;
  if (health.error && !health.data) return <section className="health-card"><h2>{name}</h2><LoadFailed error={health.error} onRetry={health.reload} /></section>;
  const data = health.data as HealthResponse;
  const verdictClass = data.verdict === 'ok' ? 'verdict-ok' : data.verdict === 'watch' ? 'verdict-watch' : 'verdict-act';
  const micro = data.classes[0];
  const stops = data.classes.reduce((sum, c) => sum + c.totals.count, 0);
  return (
    <section className="health-card" data-testid={`health-${machine}`}>
      <header className="health-card-head">
        <h2>{name}</h2>
        <span className={`verdict ${verdictClass}`} data-testid={`verdict-${machine}`}>{data.verdict}</span>
      </header>
      <ul className="health-reasons">
        {data.reasons.map((reason) => (
          <li key={reason}>{reason}</li>
        ))}
      </ul>
      {stops === 0 ? <p className="muted">No stops recorded in the period.</p> : null}
      {micro && stops > 0 ? (
        <div className="health-summary">
          <span>Micro-stop MTBF {seconds(micro.totals.mtbfSeconds)}</span>
          <MtbfSparkline stopClass={micro} />
        </div>
      ) : null}
      {stops > 0 ? (
        <button type="button" className="button" aria-expanded={open} onClick={() => setOpen((v) => !v)} data-testid={`health-details-${machine}`}>
          {open ? 'Hide details' : 'Stop classes and micro-stop chart'}
        </button>
      ) : null}
      {open ? (
        <>
        <table className="health-classes">
          <thead>
            <tr><th scope="col">Stop class</th><th scope="col">Stops</th><th scope="col">MTBF</th><th scope="col">MTTR</th><th scope="col">MTBF trend</th></tr>
          </thead>
          <tbody>
            {data.classes.map((c) => (
              <tr key={c.index}>
                <th scope="row">{c.name} <span className="muted">{c.label}</span></th>
                <td>{c.totals.count}</td>
                <td>{seconds(c.totals.mtbfSeconds)}</td>
                <td>{seconds(c.totals.mttrSeconds)}</td>
                <td className="spark-cell">
                  <MtbfSparkline stopClass={c} />
                  <span className="muted">{c.mtbfTrend.direction === 'unknown' ? 'too few buckets' : c.mtbfTrend.direction}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
          <MicroStopChart health={data} />
        </>
      ) : null}
    </section>
  );
}

function CorrelationPanel({ machines, from, to }: { machines: { key: string; name: string }[]; from: number; to: number }) {
  const metrics = useResource(listAnalysisMetrics, []);
  const [machine, setMachine] = useState(machines[0]?.key ?? '');
  const [x, setX] = useState('rate');
  const [y, setY] = useState('micro-stops');
  const [bucket, setBucket] = useState<AnalysisBucket>('hour');
  const result = useResource(() => getCorrelation({ machine, x, y, from, to, bucket }), [machine, x, y, from, to, bucket]);
  const options = (metrics.data ?? []).filter((m) => !m.metric.includes('<'));
  return (
    <section className="correlation-panel" data-testid="correlation-panel">
      <h2>Correlation</h2>
      <div className="correlation-controls">
        <label>Machine<select value={machine} onChange={(e) => setMachine(e.target.value)} data-testid="corr-machine">{machines.map((m) => <option key={m.key} value={m.key}>{m.name}</option>)}</select></label>
        <label>X<select value={x} onChange={(e) => setX(e.target.value)} data-testid="corr-x">{options.map((m) => <option key={m.metric} value={m.metric}>{m.label}</option>)}</select></label>
        <label>Y<select value={y} onChange={(e) => setY(e.target.value)} data-testid="corr-y">{options.map((m) => <option key={m.metric} value={m.metric}>{m.label}</option>)}</select></label>
        <label>Per<select value={bucket} onChange={(e) => setBucket(e.target.value as AnalysisBucket)} data-testid="corr-bucket">{(['hour', 'shift', 'day', 'week'] as const).map((b) => <option key={b}>{b}</option>)}</select></label>
      </div>
      {result.error && !result.data ? <LoadFailed error={result.error} onRetry={result.reload} /> : null}
      {result.data ? (
        <>
          <p className="correlation-words" data-testid="correlation-words">{result.data.words.text}</p>
          {result.data.points.length > 0 ? <CorrelationScatter result={result.data} /> : null}
        </>
      ) : result.loading ? <Spinner inline /> : null}
    </section>
  );
}

export function MaintenancePage() {
  const [days, setDays] = useState<number>(28);
  const [to, setTo] = useState(endOfToday);
  const from = to - days * DAY;
  const machines = useResource(listMachines, []);
  const list = (machines.data ?? []).filter((m) => m.enabled).map((m) => ({ key: m.key, name: m.name }));
  return (
    <div className="page" data-testid="page-maintenance">
      <ConditionTabs />
      <div className="page-header">
        <h1>Maintenance</h1>
        <p className="page-subtitle">Machine health from the stops: MTBF and MTTR per stop class, micro-stop drift against the 28 days before the period, and correlations between what the machines do.</p>
      </div>
      <div className="button-row maintenance-period">
        <label>
          Period
          <select value={days} onChange={(e) => setDays(Number(e.target.value))} data-testid="maintenance-days">
            {PERIODS.map((d) => <option key={d} value={d}>{d} days</option>)}
          </select>
        </label>
        <label>
          Up to and including
          <input type="date" value={dateInput(to)} onChange={(e) => { const value = e.target.valueAsDate; if (value) setTo(new Date(value.getUTCFullYear(), value.getUTCMonth(), value.getUTCDate() + 1).getTime()); }} data-testid="maintenance-to" />
        </label>
      </div>
      {machines.error && !machines.data ? <LoadFailed error={machines.error} onRetry={machines.reload} /> : null}
      {machines.loading && !machines.data ? <Spinner /> : null}
      <div className="health-grid">
        {list.map((m) => <MachineHealthCard key={m.key} machine={m.key} name={m.name} from={from} to={to} />)}
      </div>
      {list.length > 0 ? <CorrelationPanel machines={list} from={from} to={to} /> : null}
    </div>
  );
}
