// Live status of each machine for the machines page (the screen on the shop-floor TVs): running or
// stopped (age of the last cycle), the lot and product on it, and OEE so far today. New production
// is applied in place from the event's per-machine delta (state, last cycle, lot, parts today); the
// OEE percentages, which the delta does not carry, are fetched again at most every
// OEE_REFRESH_MS while production comes. A machine's state message refetches; between answers the state is
// worked out again every few seconds with the same rule as the server (core/machine-state: stopped
// once no cycle came for the profile's availabilityLossSeconds), so a line that stops turns
// "Stopped" within seconds, not minutes. No ECharts here: this page must stay light.
import { useEffect, useRef, useState } from 'react';
import { DateTime } from 'luxon';
import type { CalendarSpec } from '../../../../src/core/calendar/index.js';
import { machineRunState } from '../../../../src/core/machine-state/index.js';
import type { Machine, Product } from '../../../../src/features/plant/schemas.js';
import { getMachineStates, getOee, listLots, type LotCount, type MachineRunState, type OeeResult } from '../../api/analytics.js';
import { getCalendar } from '../../api/calendar.js';
import { listProducts } from '../../api/plant.js';
import { useResource } from '../../hooks/use-resource.js';
import type { LiveEvent } from '../../hooks/live-events.js';
import { productionDeltas } from '../../api/live.js';
import { formatAge, formatCount, formatPercent } from './format.js';
import { KPI_TARGETS, kpiStatus } from './targets.js';
import { calendarSpecOf, isWorkingTime, parseQuery, resolveWindow } from './windows.js';
import { performanceCapWarning } from './warnings.js';
import { shownFigures } from '../../../../src/core/oee/shown-figures.js';
import './machine-status.css';
import { MS_PER_MINUTE } from '../../../../src/core/time.js';

/** How often a screen works the run state out again between server answers. */
export const STATE_TICK_MS = 5_000;
/** How far back the current lot is looked for: a machine idle longer shows no lot. */
const LOT_LOOKBACK_DAYS = 7;
/** How often at most the OEE figures are fetched again while live production is applied in place. */
export const OEE_REFRESH_MS = 5_000;
/** …and not before this long after the production that calls for it: the cards show the delta first, a burst lands in one request */
const OEE_SETTLE_MS = 1_000;

export interface MachineLive {
  /** OEE of today so far (plant-local day) */
  today: OeeResult | null;
  /** the lot with the latest cycle in the last week */
  lot: LotCount | null;
  product: Product | null;
  /** the server's answer on running or stopped (re-evaluated locally on a timer) */
  state: MachineRunState | null;
  /** parts of today from the last live delta (null: today's OEE answer's parts are current) */
  partsToday: number | null;
}

export interface PlantLive {
  machines: Map<string, MachineLive>;
  calendar: CalendarSpec;
  products: Product[];
  /** when the figures were asked for */
  at: number;
  /** server clock − this browser's clock (ms): the state rule runs on the plant's clock */
  clockOffsetMs: number;
}

async function loadLive(machineKeys: readonly string[], zone: string): Promise<PlantLive> {
  const at = Date.now();
  // exactly the analytics page's "Today" window (so far, to the current minute): the same figures
  const resolved = resolveWindow(parseQuery(new URLSearchParams('window=today')), zone, at, undefined);
  if ('error' in resolved) throw new Error(resolved.error);
  const today = resolved.window;
  const to = Math.floor(at / MS_PER_MINUTE) * MS_PER_MINUTE + MS_PER_MINUTE;
  const lotsFrom = DateTime.fromMillis(at, { zone }).startOf('day').minus({ days: LOT_LOOKBACK_DAYS }).toMillis();
  const [oee, lots, products, calendar, states] = await Promise.all([
    getOee({ machines: machineKeys, from: today.from, to: today.to }),
    listLots({ machines: machineKeys, from: lotsFrom, to }),
    listProducts(),
    getCalendar(),
    getMachineStates(machineKeys),
  ]);
  const clockOffsetMs = states.at - Date.now();
  const machines = new Map<string, MachineLive>();
  for (const key of machineKeys) {
    const latest = lots.lots.filter((lot) => lot.machine === key).sort((a, b) => b.lastAt - a.lastAt)[0] ?? null;
    machines.set(key, {
      today: oee.machines.find((m) => m.machine === key)?.totals ?? null,
      lot: latest,
      product: latest ? (products.find((p) => p.itemNumber === latest.item) ?? null) : null,
      state: states.machines.find((m) => m.machine === key) ?? null,
      partsToday: null,
    });
  }
  return { machines, calendar: calendarSpecOf(calendar), products, at, clockOffsetMs };
}

/**
 * A production event's deltas applied to the cards (null: not applicable — no deltas, or a machine
 * this screen does not know; then it is fetched again).
 */
export function applyProductionToPlant(live: PlantLive, event: NonNullable<LiveEvent>): PlantLive | null {
  const deltas = productionDeltas(event);
  if (!deltas) return null;
  const machines = new Map(live.machines);
  for (const delta of deltas.values()) {
    const current = machines.get(delta.machine);
    if (!current) return null;
    const lot = delta.lot ?? current.lot;
    machines.set(delta.machine, {
      ...current,
      state: delta.run,
      lot,
      product: lot ? (live.products.find((p) => p.itemNumber === lot.item) ?? null) : null,
      partsToday: delta.partsToday,
    });
  }
  return { ...live, machines };
}

/**
 * Today's OEE answer on a card that took live deltas: the latest delta's parts count stays until the
 * OEE answer agrees with it (the delta counts to the second, the OEE window to the current minute;
 * every ingest and undo sends a delta, so the delta is never the older of the two).
 */
function withTodayOee(figures: MachineLive, today: OeeResult | null): MachineLive {
  const parts = today?.parts ?? 0;
  return { ...figures, today, partsToday: figures.partsToday !== null && figures.partsToday !== parts ? figures.partsToday : null };
}

/** Today's OEE of these machines (the analytics page's "Today" window, to the current minute). */
async function loadTodayOee(machineKeys: readonly string[], zone: string): Promise<Map<string, OeeResult | null>> {
  const resolved = resolveWindow(parseQuery(new URLSearchParams('window=today')), zone, Date.now(), undefined);
  if ('error' in resolved) throw new Error(resolved.error);
  const oee = await getOee({ machines: machineKeys, from: resolved.window.from, to: resolved.window.to });
  return new Map(machineKeys.map((key) => [key, oee.machines.find((m) => m.machine === key)?.totals ?? null]));
}

/** The live figures of these machines; null keys = nothing to load yet. */
export function usePlantLive(machineKeys: readonly string[] | null, zone: string | undefined) {
  const key = machineKeys && zone ? `${zone}|${machineKeys.join(',')}` : '';
  const oeeRefresh = useRef<{ timer: ReturnType<typeof setTimeout> | null; lastAt: number }>({ timer: null, lastAt: Date.now() });
  const refreshOee = () => {
    if (!machineKeys || !zone) return;
    oeeRefresh.current.lastAt = Date.now();
    loadTodayOee(machineKeys, zone).then(
      (today) =>
        updateRef.current((live) =>
          live === null
            ? live
            : { ...live, machines: new Map([...live.machines].map(([machine, figures]) => [machine, today.has(machine) ? withTodayOee(figures, today.get(machine) ?? null) : figures])) },
        ),
      // the cards keep their figures; the next production event tries again
      () => undefined,
    );
  };
  const refreshOeeRef = useRef(refreshOee);
  refreshOeeRef.current = refreshOee;
  const resource = useResource<PlantLive | null>(
    () => {
      oeeRefresh.current.lastAt = Date.now();
      return machineKeys && machineKeys.length && zone ? loadLive(machineKeys, zone) : Promise.resolve(null);
    },
    [key],
    ['production', 'machine-state', 'calendar', 'plant'],
    (live, event) => {
      if (live === null || event.topic !== 'production') return null;
      const next = applyProductionToPlant(live, event);
      // the OEE percentages follow on a slower beat: one OEE request per OEE_REFRESH_MS of production at most
      const refresh = oeeRefresh.current;
      if (next && refresh.timer === null) {
        refresh.timer = setTimeout(() => {
          refresh.timer = null;
          refreshOeeRef.current();
        }, Math.max(OEE_SETTLE_MS, refresh.lastAt + OEE_REFRESH_MS - Date.now()));
      }
      return next;
    },
  );
  const updateRef = useRef(resource.update);
  updateRef.current = resource.update;
  useEffect(
    () => () => {
      if (oeeRefresh.current.timer !== null) clearTimeout(oeeRefresh.current.timer);
    },
    [],
  );
  return resource;
}

/** Re-renders every `periodMs` so that "2 min ago" stays true on a screen nobody touches. */
export function useNow(periodMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), periodMs);
    return () => clearInterval(timer);
  }, [periodMs]);
  return now;
}

const STATE_LABELS = { running: 'Running', stopped: 'Stopped', 'off-shift': 'Off shift', 'no-data': 'No data' } as const;

/** Running / stopped / off shift / no data for a card, by the shared rule at `now` (plant clock). */
export function liveRunState(live: MachineLive, now: number, zone: string, calendar: CalendarSpec) {
  const server = live.state;
  const lastAt = server?.lastCycleAt ?? live.lot?.lastAt ?? null;
  const result = server
    ? machineRunState({
        lastCycleAt: server.lastCycleAt,
        runStartAt: server.state === 'running' ? server.stateSince : null,
        reported: server.reported,
        thresholdMs: server.thresholdSeconds * 1000,
        now,
      })
    : { state: 'no-data' as const, since: null, stopsAt: null };
  // a machine standing still outside the calendar's working time is expected, not an alarm
  const state: keyof typeof STATE_LABELS = result.state === 'stopped' && !isWorkingTime(calendar, zone, now) ? 'off-shift' : result.state;
  return { state, since: result.since, lastAt, reason: result.state === 'stopped' && server?.reported?.state === 'stopped' ? server.reported.reason : null };
}

export function MachineLiveStatus({ machine, live, now, zone, calendar, clockOffsetMs = 0 }: {
  machine: Machine;
  live: MachineLive | undefined;
  now: number;
  zone: string;
  calendar: CalendarSpec;
  clockOffsetMs?: number;
}) {
  if (!live) return null;
  const plantNow = now + clockOffsetMs;
  const { state, since, lastAt, reason } = liveRunState(live, plantNow, zone, calendar);
  const age = lastAt === null ? null : Math.max(0, plantNow - lastAt);
  const stateLabel = STATE_LABELS[state];
  const sinceLocal = since === null ? null : DateTime.fromMillis(since, { zone });
  const today = live.today;
  // the analytics page's rule for what is shown (no production / not measurable / figures, P capped at 100 %)
  const shown = today ? shownFigures(today) : null;
  const oee = shown?.state === 'figures' ? shown.oee : null;
  const capWarning = today && shown?.performanceCapped ? performanceCapWarning(today) : null;
  const status = kpiStatus(oee, KPI_TARGETS.oee);
  const lastLocal = lastAt === null ? null : DateTime.fromMillis(lastAt, { zone });
  return (
    <div className="machine-live" data-testid={`machine-live-${machine.key}`}>
      <div className={`run-state run-state-${state}`} data-testid={`machine-state-${machine.key}`} data-state={state}>
        <span className="run-dot" aria-hidden="true" />
        <span className="run-label">{stateLabel}</span>
        <span className="run-age" title={lastLocal ? `Last cycle ${lastLocal.toFormat('ccc d LLL HH:mm:ss')}` : undefined}>
          {age === null ? 'no cycle yet' : state === 'stopped' && sinceLocal ? `since ${sinceLocal.toFormat(sinceLocal.hasSame(DateTime.fromMillis(plantNow, { zone }), 'day') ? 'HH:mm:ss' : 'ccc d LLL HH:mm')}` : `last cycle ${formatAge(age)}`}
        </span>
        {reason ? <span className="run-reason">Machine says: {reason}</span> : null}
      </div>
      <div className="live-oee">
        <div className="live-oee-head">
          <span className="live-oee-label">OEE today</span>
          <span className="live-oee-target">target {formatPercent(KPI_TARGETS.oee)}</span>
        </div>
        {shown === null || shown.state !== 'figures' ? (
          <span className="live-oee-none" data-testid={`machine-oee-${machine.key}`}>
            {shown?.state === 'not-measurable' ? 'Not measurable yet' : 'No production yet today'}
          </span>
        ) : (
          <span className={`live-oee-value live-${status}`} data-testid={`machine-oee-${machine.key}`}>
            {formatPercent(oee)}
          </span>
        )}
      </div>
      {shown && shown.state === 'figures' ? (
        <dl className="live-apq" data-testid={`machine-apq-${machine.key}`}>
          <div>
            <dt>A</dt>
            <dd>{formatPercent(shown.availability)}</dd>
          </div>
          <div>
            <dt>P</dt>
            <dd data-testid={`machine-performance-${machine.key}`}>{formatPercent(shown.performance)}</dd>
          </div>
          <div>
            <dt>Q</dt>
            <dd>{formatPercent(shown.quality)}</dd>
          </div>
        </dl>
      ) : null}
      {capWarning ? (
        <p className="live-warning" role="note" data-testid={`machine-warning-${machine.key}`}>
          {capWarning}
        </p>
      ) : null}
      <dl className="live-facts">
        <div>
          <dt>Lot</dt>
          <dd className="mono" data-testid={`machine-lot-${machine.key}`}>
            {live.lot ? live.lot.lot : '–'}
          </dd>
        </div>
        <div>
          <dt>Product</dt>
          <dd data-testid={`machine-product-${machine.key}`}>{live.product ? live.product.shortName : live.lot ? `item ${live.lot.item}` : '–'}</dd>
        </div>
        <div>
          <dt>Parts today</dt>
          <dd data-testid={`machine-parts-${machine.key}`}>{formatCount(live.partsToday ?? today?.parts ?? 0)}</dd>
        </div>
      </dl>
    </div>
  );
}
