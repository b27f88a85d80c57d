// Condition monitoring of one measurement channel: the machine picker (machines that have channels),
// a tab per channel, the window (8 h, today, 3 days, week); the control chart of subgroup means with
// its frozen limits, the spec and the signals; the EWMA drift; the signals in words; capability and
// histogram; the machine's open SPC and maintenance alerts; and setting new limits from a baseline.
import { useState } from 'react';
import { Navigate, NavLink, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { listMachines } from '../../api/plant.js';
import { listChannels } from '../../api/measurements.js';
import { getSpcChart, type SpcChart } from '../../api/spc.js';
import { useResource } from '../../hooks/use-resource.js';
import { useSite } from '../../hooks/site.js';
import { useLiveTopics } from '../../hooks/live-events.js';
import { useCan } from '../../auth/auth.js';
import { EmptyState, LoadFailed, Spinner } from '../../components/feedback.js';
import { DriftChart, HistogramChart, MeansChart, specOnScale } from './charts.js';
import { CapabilityCard, MachineAlerts, SignalsList } from './panels.js';
import { LimitsPanel } from './limits-form.js';
import { WINDOWS, windowRange, type WindowKey } from './windows.js';
import './monitoring.css';
import { ConditionTabs } from './condition-tabs.js';

interface MachineChannels {
  key: string;
  name: string;
  channels: { key: string; name: string; unit: string }[];
}

async function loadMachinesWithChannels(): Promise<MachineChannels[]> {
  const machines = (await listMachines()).filter((m) => m.enabled);
  const withChannels = await Promise.all(
    machines.map(async (m) => ({ key: m.key, name: m.name, channels: (await listChannels(m.key)).map((c) => ({ key: c.key, name: c.name, unit: c.unit })) })),
  );
  return withChannels.filter((m) => m.channels.length > 0);
}

function Words({ chart }: { chart: SpcChart }) {
  const tone = chart.limits === null ? 'banner-info' : chart.signals.length > 0 ? 'mon-words-alarm' : 'mon-words-ok';
  return (
    <div className={`banner mon-words ${tone}`} data-testid="spc-words" role="status">
      <ul>
        {chart.words.map((w) => <li key={w}>{w}</li>)}
      </ul>
    </div>
  );
}

function Findings({ chart }: { chart: SpcChart }) {
  const { spikes, stuck, gaps } = chart.findings;
  const offScale = specOnScale(chart).offScale;
  const parts = [
    offScale.length ? `off this scale: ${offScale.map((l) => `${l.name} ${l.value} ${chart.channel.unit}`).join(', ')}` : null,
    `${chart.samples.toLocaleString('en-US')} readings`,
    `${chart.points.length} subgroups of ${chart.subgroupMinutes} min`,
    spikes ? `${spikes} spike${spikes === 1 ? '' : 's'} set aside` : null,
    stuck ? `${stuck} stuck stretch${stuck === 1 ? '' : 'es'}` : null,
    gaps ? `${gaps} gap${gaps === 1 ? '' : 's'}` : null,
    chart.outOfSpec.below || chart.outOfSpec.above ? `out of spec: ${chart.outOfSpec.below} below LSL, ${chart.outOfSpec.above} above USL` : 'no reading out of spec',
  ].filter(Boolean);
  return <p className="mon-findings muted" data-testid="spc-findings">{parts.join(' · ')}</p>;
}

function WindowButtons({ windowKey, onChoose, onRefresh }: { windowKey: WindowKey; onChoose: (key: WindowKey) => void; onRefresh: () => void }) {
  return (
    <div className="mon-windows" role="group" aria-label="Window">
      {WINDOWS.map((w) => (
        <button key={w.key} type="button" className={`button mon-window${w.key === windowKey ? ' mon-window-active' : ''}`} aria-pressed={w.key === windowKey} onClick={() => onChoose(w.key)} data-testid={`window-${w.key}`}>
          {w.label}
        </button>
      ))}
      <button type="button" className="button" onClick={onRefresh} data-testid="window-refresh" title="Move the window up to now">Refresh</button>
    </div>
  );
}

function ChannelView({ machine, channel, zone, range }: { machine: string; channel: string; zone: string; range: { from: number; to: number } }) {
  const chart = useResource(() => getSpcChart(machine, channel, range.from, range.to), [machine, channel, range.from, range.to]);
  const canWrite = useCan('oee:write');
  const data = chart.data;
  return (
    <>
      {chart.error && !data ? <LoadFailed error={chart.error} onRetry={chart.reload} /> : null}
      {chart.loading && !data ? <Spinner /> : null}
      {data ? (
        <div className="mon-layout" data-testid="spc-view">
          <div className="mon-main">
            <Words chart={data} />
            <section className="mon-card">
              <div className="mon-card-head">
                <h2>{data.channel.name} — {data.subgroupMinutes}-minute means</h2>
                <ul className="mon-legend" aria-label="Legend">
                  <li><span className="mon-key mon-key-limits" />control limits</li>
                  <li><span className="mon-key mon-key-spec" />spec (LSL / target / USL)</li>
                  <li><span className="mon-key mon-key-signal" />run-rule signal</li>
                  <li><span className="mon-key mon-key-drift" />drift signal</li>
                  <li><span className="mon-key mon-key-outside" />outside the limits</li>
                </ul>
              </div>
              <MeansChart chart={data} zone={zone} />
              <Findings chart={data} />
            </section>
            <section className="mon-card">
              <h2>Drift (EWMA{data.limits ? `, λ ${data.limits.lambda}` : ''})</h2>
              {data.drift.length ? <DriftChart chart={data} zone={zone} /> : <p className="muted">The drift detector needs control limits: set them from a baseline.</p>}
            </section>
            <SignalsList chart={data} zone={zone} />
          </div>
          <aside className="mon-side">
            <CapabilityCard capability={data.capability} unit={data.channel.unit} />
            <section className="mon-card">
              <h2>Histogram against spec</h2>
              {data.histogram && data.histogram.bins.length ? <HistogramChart chart={data} /> : <p className="muted">No readings in this window.</p>}
            </section>
            <MachineAlerts machine={machine} zone={zone} />
          </aside>
          <div className="mon-wide">
            <LimitsPanel key={`${machine}/${channel}`} machine={machine} channel={channel} unit={data.channel.unit} zone={zone} canWrite={canWrite} defaultFrom={data.window.from} defaultTo={data.window.to} onSaved={() => void chart.reload()} />
          </div>
        </div>
      ) : null}
    </>
  );
}

export function MonitoringPage() {
  const { machine, channel } = useParams();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const site = useSite();
  const zone = site.data?.timezone ?? 'UTC';
  const machines = useResource(loadMachinesWithChannels, [], ['plant']);
  const list = machines.data ?? [];
  const current = list.find((m) => m.key === machine);
  const query = params.toString() ? `?${params}` : '';
  const windowKey = (WINDOWS.find((w) => w.key === params.get('window'))?.key ?? '8h') as WindowKey;
  const [now, setNow] = useState(() => Date.now());
  const range = windowRange(windowKey, now, zone);
  // new readings: the window moves up to now (at most twice a minute, however fast a live line sends)
  useLiveTopics(['measurements'], () => setNow((previous) => (Date.now() - previous > 30_000 ? Date.now() : previous)));
  const choose = (key: WindowKey) => {
    setNow(Date.now());
    setParams((p) => { const next = new URLSearchParams(p); next.set('window', key); return next; }, { replace: true });
  };

  if (machines.data && list.length > 0 && (!current || !current.channels.some((c) => c.key === channel))) {
    const target = current ?? list[0];
    return <Navigate to={`/monitoring/${target.key}/${target.channels[0].key}${query}`} replace />;
  }
  return (
    <div className="page" data-testid="page-monitoring">
      <ConditionTabs />
      <div className="page-header">
        <h1>Monitoring</h1>
        <p className="page-subtitle">Each channel's subgroup means against frozen control limits and the spec, drift, run-rule signals and capability.</p>
      </div>
      {machines.error && !machines.data ? <LoadFailed error={machines.error} onRetry={machines.reload} /> : null}
      {machines.loading && !machines.data ? <Spinner /> : null}
      {machines.data && list.length === 0 ? (
        <EmptyState title="No measurement channels yet" testId="monitoring-empty">Add a channel to a machine under Admin → Channels and upload its readings.</EmptyState>
      ) : null}
      {current && channel ? (
        <>
          <div className="mon-controls">
            <label className="mon-machine">
              <span>Machine</span>
              <select value={current.key} onChange={(e) => { const next = list.find((m) => m.key === e.target.value); if (next) navigate(`/monitoring/${next.key}/${next.channels[0].key}${query}`); }} data-testid="monitoring-machine">
                {list.map((m) => <option key={m.key} value={m.key}>{m.name}</option>)}
              </select>
            </label>
            <WindowButtons windowKey={windowKey} onChoose={choose} onRefresh={() => setNow(Date.now())} />
          </div>
          <nav className="tabs mon-tabs" aria-label="Channels">
            {current.channels.map((c) => (
              <NavLink key={c.key} to={`/monitoring/${current.key}/${c.key}${query}`} className="tab" data-testid={`channel-tab-${c.key}`}>
                {c.name}
              </NavLink>
            ))}
          </nav>
          <ChannelView key={`${current.key}/${channel}`} machine={current.key} channel={channel} zone={zone} range={range} />
        </>
      ) : null}
    </div>
  );
}
