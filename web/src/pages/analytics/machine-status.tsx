// Live status of each machine for the machines page (the screen on the shop-floor TVs): running or
// stopped (age of the last cycle), the lot and product on it, and OEE so far today. Refreshed when
// the server reports new production, and the ages tick on their own. No ECharts here: this page
// must stay light.
import { useEffect, useState } from 'react';
import { DateTime } from 'luxon';
import type { CalendarSpec } from '../../../../src/core/calendar/index.js';
import type { Machine, Product } from '../../../../src/features/plant/schemas.js';
import { getOee, listLots, type LotCount, type OeeResult } from '../../api/analytics.js';
import { getCalendar } from '../../api/calendar.js';
import { listProducts } from '../../api/plant.js';
import { useResource } from '../../hooks/use-resource.js';
import { formatAge, formatCount, formatPercent } from './format.js';
import { KPI_TARGETS, kpiStatus } from './targets.js';
import { calendarSpecOf, isWorkingTime } from './windows.js';
import './machine-status.css';

/** A machine whose last cycle is younger than this is running (files arrive in batches: allow for that). */
export const RUNNING_WITHIN_MS = 3 * 60_000;
/** How far back the current lot is looked for: a machine idle longer shows no lot. */
const LOT_LOOKBACK_DAYS = 7;
const MS_PER_MINUTE = 60_000;

export interface MachineLive {
  /** OEE of today so far (plant-local day) */
  today: OeeResult | null;
  /** the lot with the latest cycle in the last week */
  lot: LotCount | null;
  product: Product | null;
}

export interface PlantLive {
  machines: Map<string, MachineLive>;
  calendar: CalendarSpec;
  /** when the figures were asked for */
  at: number;
}

async function loadLive(machineKeys: readonly string[], zone: string): Promise<PlantLive> {
  const at = Date.now();
  const to = Math.floor(at / MS_PER_MINUTE) * MS_PER_MINUTE + MS_PER_MINUTE;
  const startOfDay = DateTime.fromMillis(at, { zone }).startOf('day').toMillis();
  const lotsFrom = DateTime.fromMillis(at, { zone }).startOf('day').minus({ days: LOT_LOOKBACK_DAYS }).toMillis();
  const [oee, lots, products, calendar] = await Promise.all([
    getOee({ machines: machineKeys, from: startOfDay, to }),
    listLots({ machines: machineKeys, from: lotsFrom, to }),
    listProducts(),
    getCalendar(),
  ]);
  const machines = new Map<string, MachineLive>();
  for (const key of machineKeys) {
    const latest = lots.lots.filter((lot) => lot.machine === key).sort((a, b) => b.lastAt - a.lastAt)[0] ?? null;
    machines.set(key, {
      today: oee.machines.find((m) => m.machine === key)?.totals ?? null,
      lot: latest,
      product: latest ? (products.find((p) => p.itemNumber === latest.item) ?? null) : null,
    });
  }
  return { machines, calendar: calendarSpecOf(calendar), at };
}

/** The live figures of these machines; null keys = nothing to load yet. */
export function usePlantLive(machineKeys: readonly string[] | null, zone: string | undefined) {
  const key = machineKeys && zone ? `${zone}|${machineKeys.join(',')}` : '';
  return useResource<PlantLive | null>(() => (machineKeys && machineKeys.length && zone ? loadLive(machineKeys, zone) : Promise.resolve(null)), [key], ['production', 'calendar', 'plant']);
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

export function MachineLiveStatus({ machine, live, now, zone, calendar }: { machine: Machine; live: MachineLive | undefined; now: number; zone: string; calendar: CalendarSpec }) {
  if (!live) return null;
  const lastAt = live.lot?.lastAt ?? null;
  const age = lastAt === null ? null : now - lastAt;
  const running = age !== null && age < RUNNING_WITHIN_MS;
  // a machine standing still outside the calendar's working time is expected, not an alarm
  const state = running ? 'running' : isWorkingTime(calendar, zone, now) ? 'stopped' : 'off-shift';
  const stateLabel = state === 'running' ? 'Running' : state === 'stopped' ? 'Stopped' : 'Off shift';
  const today = live.today;
  const oee = today?.oee ?? null;
  const status = kpiStatus(oee, KPI_TARGETS.oee);
  const lastLocal = lastAt === null ? null : DateTime.fromMillis(lastAt, { zone });
  return (
    <div className="machine-live" data-testid={`machine-live-${machine.key}`}>
      <div className={`run-state run-state-${state}`} data-testid={`machine-state-${machine.key}`}>
        <span className="run-dot" aria-hidden="true" />
        <span className="run-label">{stateLabel}</span>
        <span className="run-age" title={lastLocal ? `Last cycle ${lastLocal.toFormat('ccc d LLL HH:mm:ss')}` : undefined}>
          {age === null ? 'no cycle this week' : `last cycle ${formatAge(age)}`}
        </span>
      </div>
      <div className="live-oee">
        <div className="live-oee-head">
          <span className="live-oee-label">OEE today</span>
          <span className="live-oee-target">target {formatPercent(KPI_TARGETS.oee)}</span>
        </div>
        {oee === null ? (
          <span className="live-oee-none" data-testid={`machine-oee-${machine.key}`}>
            {today && today.cycles > 0 ? 'Not measurable yet' : 'No production yet today'}
          </span>
        ) : (
          <span className={`live-oee-value live-${status}`} data-testid={`machine-oee-${machine.key}`}>
            {formatPercent(oee)}
          </span>
        )}
      </div>
      {today && oee !== null ? (
        <dl className="live-apq">
          <div>
            <dt>A</dt>
            <dd>{formatPercent(today.availability)}</dd>
          </div>
          <div>
            <dt>P</dt>
            <dd>{formatPercent(today.performance)}</dd>
          </div>
          <div>
            <dt>Q</dt>
            <dd>{formatPercent(today.quality)}</dd>
          </div>
        </dl>
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
          <dd>{formatCount(today?.parts ?? 0)}</dd>
        </div>
      </dl>
    </div>
  );
}
