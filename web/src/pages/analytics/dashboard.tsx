// The analytics dashboard (/analytics): OEE of one or more machines over a window, the stops behind
// it, production per period, shifts and lots, machines side by side, exports and sensor-file upload,
// the loss model (waterfall, Pareto, TEEP). The view lives in the URL; figures come from the server
// (no OEE arithmetic here).
import { useCallback, useEffect, useMemo, useState, type DragEvent } from 'react';
import { useSearchParams } from 'react-router-dom';
import { DateTime } from 'luxon';
import { errorMessage } from '../../api/client.js';
import { getReasonTree } from '../../api/reason-trees.js';
import { EmptyState, LoadFailed, Spinner } from '../../components/feedback.js';
import { AnalyticsIcon } from '../../components/icons.js';
import { useToast } from '../../components/toasts.js';
import { useCan } from '../../auth/auth.js';
import { useResource } from '../../hooks/use-resource.js';
import { useSite } from '../../hooks/site.js';
import { ComparisonBars, ProductionChart, RateStrip, ReasonPareto, StopPie } from './charts.js';
import { FineRateCharts, FINE_RATE_MAX_MS } from './fine-rate.js';
import { GroupBySelect, MachinePicker, ProfileSelect, WindowPicker } from './controls.js';
import { loadDashboard, loadPlant, STOPS_SHOWN, type ViewRequest } from './dashboard-data.js';
import { buildWorkbook, downloadBlob, fileStem } from './export.js';
import { formatCount, hasProduction } from './format.js';
import { Facts, KpiGauges, WarningBanner, resultProblems } from './gauges.js';
import { LossKeyFigures, LossesSection } from './losses.js';
import { stopReasonOptions } from './stop-reasons.js';
import { useStopReasonEditing } from './stop-reason-editing.js';
import { ComparisonTable, LotTable, ShiftTable, StopsTable } from './tables.js';
import { LISTED_STOP_MIN_SECONDS } from './targets.js';
import { UploadPanel } from './upload-panel.js';
import { useCachedQuery } from './use-cached-query.js';
import { applyProductionToDashboard } from './live-apply.js';
import { autoGroupBy, parseQuery, queryParams, resolveWindow, toLocalInput, type AnalyticsQuery, type GroupBy } from './windows.js';
import './analytics.css';
import { standardRateFor } from '../../../../src/core/oee/standard-rate.js';

/** The Losses section's choice with several machines: all of them together. */
const ALL_MACHINES = '*';

export function AnalyticsDashboard() {
  const site = useSite();
  const zone = site.data?.timezone ?? 'UTC';
  const toast = useToast();
  // sensor uploads and stop reasons are production reports; the server refuses them to others anyway
  const canReport = useCan('production:report');
  const [params, setParams] = useSearchParams();
  const query = useMemo(() => parseQuery(params), [params]);
  const plant = useResource(loadPlant, [], ['plant', 'calendar']);
  const [now, setNow] = useState(() => Date.now());
  const [uploadOpen, setUploadOpen] = useState(false);
  const [dropped, setDropped] = useState<{ files: File[]; at: number } | null>(null);
  const [pageDrag, setPageDrag] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [fine, setFine] = useState(false);

  const update = useCallback(
    (patch: Partial<AnalyticsQuery>) => setParams(queryParams({ ...parseQuery(params), ...patch }), { replace: false }),
    [params, setParams],
  );

  // windows that include the present move with the clock (a TV left on "This shift")
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);

  // nothing picked yet: start with the first machine of the first process group
  const firstMachine = plant.data?.sections[0]?.machines.find((m) => m.enabled)?.key ?? plant.data?.sections[0]?.machines[0]?.key;
  useEffect(() => {
    if (!query.machinesChosen && firstMachine) setParams(queryParams({ ...query, machines: [firstMachine] }), { replace: true });
  }, [query, firstMachine, setParams]);

  const resolved = site.data && plant.data ? resolveWindow(query, zone, now, plant.data.calendar) : null;
  const window = resolved && 'window' in resolved ? resolved.window : null;
  const groupBy: GroupBy = query.groupBy === 'auto' ? (window ? autoGroupBy(window.from, window.to) : 'hour') : query.groupBy;
  const view: ViewRequest | null = window && query.machines.length ? { machines: query.machines, from: window.from, to: window.to, profile: query.profile, groupBy } : null;
  const viewKey = view ? JSON.stringify(view) : null;
  const dashboard = useCachedQuery(viewKey, () => loadDashboard(view as ViewRequest), ['production'], (current, event) =>
    window ? applyProductionToDashboard(current, event, { machines: query.machines, preset: query.preset, window }) : null,
  );
  const data = dashboard.data;

  const machines = plant.data?.machines ?? [];
  const machineNames = useMemo(() => new Map(machines.map((m) => [m.key, m.name])), [machines]);
  const nameOf = (key: string) => machineNames.get(key) ?? key;
  const focus = query.focus && query.machines.includes(query.focus) ? query.focus : query.machines[0];
  const focusResult = data?.oee.find((m) => m.machine === focus) ?? data?.oee[0];
  const focusStops = (focusResult && data?.stops.get(focusResult.machine)) ?? { stops: [], truncated: false };
  const focusMachine = machines.find((m) => m.key === focusResult?.machine);
  const profileName = focusResult?.totals.profile.replace(/@v\d+$/, '');
  const profileRow = plant.data?.profiles.find((p) => p.name === profileName);
  const idealRatePerMinute = profileRow?.idealRatePerMinute ?? null;
  const standardRate = data ? standardRateFor(focusMachine, data.lots, plant.data?.products ?? []) : null;
  const stale = dashboard.dataKey !== viewKey;
  // a shift or less can be drawn second by second from the raw cycles
  const fineAllowed = !!window && window.to - window.from <= FINE_RATE_MAX_MS;
  const showFine = fineAllowed && fine;
  const stem = window ? fileStem(query.machines, window.label) : 'analytics';

  // the reasons a stop may get: the active stop leaves of the focus machine's process-group tree
  const focusGroup = focusMachine?.group ?? null;
  const reasonTree = useResource(() => (focusGroup ? getReasonTree(focusGroup) : Promise.resolve(null)), [focusGroup], ['plant']);
  const reasonOptions = useMemo(() => (reasonTree.data ? stopReasonOptions(reasonTree.data.tree) : []), [reasonTree.data]);
  const reasons = useStopReasonEditing(reasonOptions, dashboard.reload);

  // the loss model: the focus machine's, or (a choice with several machines) all of them together
  const [lossScope, setLossScope] = useState<string>('');
  const lossMachines = data?.losses?.machines ?? [];
  const lossSummary = data?.losses ? (lossScope === ALL_MACHINES && lossMachines.length > 1 ? data.losses.total : (lossMachines.find((m) => m.machine === focusResult?.machine) ?? data.losses.total)) : null;
  const lossScopes = lossMachines.length > 1 && focusResult ? [{ key: focusResult.machine, label: nameOf(focusResult.machine) }, { key: ALL_MACHINES, label: `All ${lossMachines.length} machines` }] : [];
  const lossHasProduction = lossScope === ALL_MACHINES && lossMachines.length > 1 ? (data?.oee ?? []).some((m) => hasProduction(m.totals)) : hasProduction(focusResult?.totals);

  const exportWorkbook = async () => {
    if (!data || !window) return;
    setExporting(true);
    try {
      const blob = await buildWorkbook({
        machines: data.oee.map((m) => ({ key: m.machine, name: nameOf(m.machine), totals: m.totals, series: m.series, stops: data.stops.get(m.machine)?.stops ?? [] })),
        zone,
        windowLabel: window.label,
        from: window.from,
        to: window.to,
        stopMinSeconds: LISTED_STOP_MIN_SECONDS,
      });
      downloadBlob(`${stem}.xlsx`, blob);
    } catch (error) {
      toast.error(`The workbook could not be built: ${errorMessage(error)}`);
    } finally {
      setExporting(false);
    }
  };

  const onPageDrop = (event: DragEvent) => {
    event.preventDefault();
    setPageDrag(false);
    const files = [...event.dataTransfer.files];
    if (!canReport || files.length === 0) return;
    setUploadOpen(true);
    setDropped({ files, at: Date.now() });
  };

  const problems = (data?.oee ?? []).flatMap((m) => resultProblems(m.totals).map((problem) => (data && data.oee.length > 1 ? `${nameOf(m.machine)}: ${problem}` : problem)));

  return (
    <div
      className={`page analytics-page${pageDrag ? ' page-drag' : ''}`}
      data-testid="page-analytics"
      onDragOver={(event) => {
        if (!canReport || ![...event.dataTransfer.types].includes('Files')) return;
        event.preventDefault();
        setPageDrag(true);
      }}
      onDragLeave={(event) => {
        if (event.currentTarget === event.target) setPageDrag(false);
      }}
      onDrop={onPageDrop}
    >
      <div className="page-header analytics-header">
        <h1>Analytics</h1>
        <p className="page-subtitle" data-testid="window-label">
          {window ? window.label : ''}
          {focusResult ? (
            <>
              {' · '}
              <span title={`OEE profile ${focusResult.totals.profile}`} data-testid="profile-name">
                {profileRow?.displayName ?? profileName}
              </span>
            </>
          ) : null}
        </p>
        {dashboard.loading && data ? (
          <span className="refreshing" role="status" data-testid="refreshing">
            <span className="spinner refresh-spinner" aria-hidden="true" />
            Updating…
          </span>
        ) : null}
        <div className="page-actions">
          {canReport ? (
            <button type="button" className="button" onClick={() => setUploadOpen((open) => !open)} aria-expanded={uploadOpen} data-testid="upload-toggle">
              Import sensor files
            </button>
          ) : null}
          <button type="button" className="button button-primary" onClick={() => void exportWorkbook()} disabled={!data || stale || exporting} data-testid="export-xlsx">
            {exporting ? 'Building…' : 'Export .xlsx'}
          </button>
        </div>
      </div>

      {plant.error ? <LoadFailed error={plant.error} onRetry={plant.reload} /> : null}
      {plant.data && site.data ? (
        <section className="panel analytics-controls" aria-label="What to show" data-testid="analytics-controls">
          <MachinePicker sections={plant.data.sections} selected={query.machines} onChange={(keys) => update({ machines: keys })} />
          <WindowPicker query={query} zone={zone} onChange={update} />
          <ProfileSelect value={query.profile} profiles={plant.data.profiles} onChange={(profile) => update({ profile })} />
          <GroupBySelect value={query.groupBy} auto={window ? autoGroupBy(window.from, window.to) : 'hour'} onChange={(value) => update({ groupBy: value })} />
        </section>
      ) : plant.loading ? (
        <Spinner label="Loading machines…" />
      ) : null}

      {uploadOpen && canReport && plant.data ? (
        <UploadPanel
          machines={plant.data.machines}
          droppedFiles={dropped}
          onImported={() => void dashboard.reload()}
          onShowDay={(machine, at) => {
            // the plant-local day of the file's data, on its machine
            const day = DateTime.fromMillis(at, { zone }).startOf('day');
            update({ machines: [machine], preset: 'custom', from: toLocalInput(day.toMillis(), zone), to: toLocalInput(day.plus({ days: 1 }).toMillis(), zone), focus: machine });
          }}
          onClose={() => setUploadOpen(false)}
        />
      ) : null}

      {resolved && 'error' in resolved ? (
        <div className="banner banner-info" role="status" data-testid="window-problem">
          <span className="banner-text">{resolved.error}</span>
        </div>
      ) : null}
      {dashboard.error ? <LoadFailed error={dashboard.error} onRetry={() => void dashboard.reload()} /> : null}
      {plant.data && query.machines.length === 0 ? (
        <EmptyState title="Pick one or more machines" icon={<AnalyticsIcon />}>
          <p>Choose machines above to see their OEE, stops and production.</p>
        </EmptyState>
      ) : null}
      {view && !data && dashboard.loading ? <Spinner label="Computing OEE…" /> : null}

      {data && focusResult ? (
        <div className={`analytics-body${stale ? ' analytics-stale' : ''}`} aria-busy={dashboard.loading}>
          <WarningBanner problems={problems} />

          {data.oee.length > 1 ? (
            <>
              <ComparisonTable
                rows={data.oee.map((m) => ({ key: m.machine, name: nameOf(m.machine), totals: m.totals }))}
                csvName={`${stem}-machines`}
                profileName={(label) => {
                  const name = label.replace(/@v\d+$/, '');
                  return plant.data?.profiles.find((p) => p.name === name)?.displayName ?? name;
                }}
              />
              <section className="panel analytics-card">
                <header className="card-header">
                  <h2>OEE, A, P, Q by machine</h2>
                </header>
                <div className="chart-box chart-short">
                  <ComparisonBars machines={data.oee.map((m) => ({ name: nameOf(m.machine), totals: m.totals }))} />
                </div>
              </section>
              <div className="focus-tabs" role="tablist" aria-label="Machine the details below are for">
                <span className="control-label">Details for</span>
                {data.oee.map((m) => (
                  <button
                    key={m.machine}
                    type="button"
                    role="tab"
                    aria-selected={m.machine === focusResult.machine}
                    className={`an-segment${m.machine === focusResult.machine ? ' an-segment-selected' : ''}`}
                    onClick={() => update({ focus: m.machine })}
                    data-testid={`focus-${m.machine}`}
                  >
                    {nameOf(m.machine)}
                  </button>
                ))}
              </div>
            </>
          ) : null}

          <h2 className="focus-title" data-testid="focus-title">
            {nameOf(focusResult.machine)}
          </h2>
          <KpiGauges result={focusResult.totals} />
          {hasProduction(focusResult.totals) ? <LossKeyFigures summary={lossMachines.find((m) => m.machine === focusResult.machine) ?? null} /> : null}
          {hasProduction(focusResult.totals) ? <Facts result={focusResult.totals} /> : null}

          <div className="analytics-grid grid-wide-narrow">
            <section className="panel analytics-card">
              <header className="card-header">
                <div>
                  <h2>Good parts per {groupBy}</h2>
                  <p className="muted small">{standardRate === null ? 'No product with a standard rate ran in this window.' : `Against the routing's standard rate of ${formatCount(standardRate)}/h`}</p>
                </div>
              </header>
              <div className="chart-box chart-medium">
                <ProductionChart series={focusResult.series} groupBy={groupBy} zone={zone} standardRatePerHour={standardRate} />
              </div>
            </section>
            <section className="panel analytics-card pie-card">
              <header className="card-header">
                <h2>Stop time by duration</h2>
              </header>
              <StopPie stops={focusResult.totals.stops} />
            </section>
          </div>

          <section className="panel analytics-card" data-testid="rate-card">
            <header className="card-header">
              <div>
                <h2>Rate and stops over time</h2>
                <p className="muted small">
                  {showFine
                    ? 'Parts per minute, second by second, smoothed over the time you pick; stops of a minute or more below, coloured by duration. Drag the slider or scroll to zoom.'
                    : `Rate per ${groupBy}; stops of a minute or more shaded by duration class. Drag the slider or scroll to zoom.`}
                </p>
              </div>
              {fineAllowed ? (
                <div className="fine-rate-toggle" role="tablist" aria-label="Resolution of the rate">
                  <button type="button" role="tab" aria-selected={!showFine} className={`an-segment${!showFine ? ' an-segment-selected' : ''}`} onClick={() => setFine(false)} data-testid="rate-per-bucket">
                    Per {groupBy}
                  </button>
                  <button type="button" role="tab" aria-selected={showFine} className={`an-segment${showFine ? ' an-segment-selected' : ''}`} onClick={() => setFine(true)} data-testid="rate-fine">
                    Second by second
                  </button>
                </div>
              ) : null}
            </header>
            {showFine && window && plant.data ? (
              <FineRateCharts machine={focusResult.machine} window={window} zone={zone} stops={focusStops.stops} standardRatePerHour={standardRate} calendar={plant.data.calendar} />
            ) : (
              <div className="chart-box chart-tall">
                <RateStrip series={focusResult.series} stops={focusStops.stops} zone={zone} idealRatePerMinute={idealRatePerMinute} window={window ?? { from: Date.parse(focusResult.totals.from), to: Date.parse(focusResult.totals.to) }} />
              </div>
            )}
          </section>

          <LossesSection
            summary={lossSummary}
            error={data.lossesError}
            onRetry={() => void dashboard.reload()}
            hasProduction={lossHasProduction}
            scopes={lossScopes}
            scope={lossScope === ALL_MACHINES ? ALL_MACHINES : (focusResult.machine)}
            onScope={(key) => setLossScope(key === ALL_MACHINES ? ALL_MACHINES : '')}
          />

          <div className="analytics-grid grid-narrow-wide">
            <section className="panel analytics-card">
              <header className="card-header">
                <div>
                  <h2>Stop time by reason</h2>
                  <p className="muted small">Stops of a minute or more; bars largest first, line the cumulative share.</p>
                </div>
              </header>
              <div className="chart-box chart-medium">
                <ReasonPareto stops={focusStops.stops} />
              </div>
            </section>
            <ShiftTable
              shifts={data.shifts?.get(focusResult.machine) ?? []}
              zone={zone}
              csvName={`${stem}-${focusResult.machine}-shifts`}
              note={data.shifts ? 'Shifts of the production calendar' : 'Shown for windows up to 31 days'}
            />
          </div>

          <StopsTable
            stops={focusStops.stops.slice().sort((a, b) => b.countedSeconds - a.countedSeconds).slice(0, STOPS_SHOWN)}
            classes={focusResult.totals.stops.classes}
            zone={zone}
            csvName={`${stem}-${focusResult.machine}-stops`}
            truncated={focusStops.truncated || focusStops.stops.length > STOPS_SHOWN}
            onSave={canReport ? reasons.saveReason : null}
            reasonOptions={reasonOptions}
          />
          {reasons.dialog}
          <LotTable
            lots={data.lots}
            products={plant.data?.products ?? []}
            machineNames={machineNames}
            zone={zone}
            csvName={`${stem}-lots`}
            showMachine={data.oee.length > 1}
          />
        </div>
      ) : null}
      {pageDrag ? (
        <div className="drop-overlay" aria-hidden="true">
          Drop sensor files to import them
        </div>
      ) : null}
    </div>
  );
}
