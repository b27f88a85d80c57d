// The comparison of a scenario with the live plan, both planned at the same instant by the same
// scheduler: KPIs, utilisation per machine over the next 4 weeks, and the finish of every open work
// order. Pure: plan inputs in, numbers out.
import { kpisOf, ScheduleModel, subtractIntervals, type PlanInput, type PlanKpis } from '../../core/schedule/index.js';
import { MS_PER_DAY, MS_PER_HOUR } from '../../core/time.js';
import type { Comparison } from './schemas.js';

/** Utilisation is measured over this window from now: a fixed, equal window for both plans (their horizons differ). */
export const UTILISATION_WINDOW_MS = 28 * MS_PER_DAY;
/** a finish that moved by less than this (rounding of working minutes) is not a change */
const SAME_FINISH_MS = 60_000;

interface Planned {
  model: ScheduleModel;
  kpis: PlanKpis;
  /** lot → end of its last planned step */
  ends: Map<string, { end: number | null; due: number | null }>;
}

function planOf(input: PlanInput): Planned {
  const model = new ScheduleModel(input);
  model.run();
  const ends = new Map<string, { end: number | null; due: number | null }>();
  for (const node of model.nodes) {
    if (node.status === 'done') continue;
    const known = ends.get(node.workOrder.lot);
    const end = node.end === null ? (known?.end ?? null) : Math.max(known?.end ?? node.end, node.end);
    ends.set(node.workOrder.lot, { end, due: node.workOrder.due });
  }
  return { model, kpis: kpisOf(model), ends };
}

function overlapMs(start: number, end: number, intervals: readonly { start: number; end: number }[]): number {
  let total = 0;
  for (const i of intervals) {
    if (i.end <= start) continue;
    if (i.start >= end) break;
    total += Math.min(end, i.end) - Math.max(start, i.start);
  }
  return total;
}

function utilisationOf(input: PlanInput, planned: Planned, from: number, to: number): Map<string, { plannedHours: number; availableHours: number; utilisation: number }> {
  const site = input.working(from, to);
  const result = new Map<string, { plannedHours: number; availableHours: number; utilisation: number }>();
  for (const machine of input.machines) {
    const working = machine.unavailable?.length ? subtractIntervals(site, machine.unavailable) : site;
    const availableMs = working.reduce((sum, i) => sum + (i.end - i.start), 0);
    let plannedMs = 0;
    for (const node of planned.model.queues.get(machine.key)?.nodes ?? []) {
      if (node.status === 'done' || node.start === null || node.end === null) continue;
      plannedMs += overlapMs(Math.max(node.start, from), Math.min(node.end, to), working);
    }
    result.set(machine.key, { plannedHours: plannedMs / MS_PER_HOUR, availableHours: availableMs / MS_PER_HOUR, utilisation: availableMs > 0 ? plannedMs / availableMs : 0 });
  }
  return result;
}

export interface CompareNames {
  machines: readonly { key: string; name: string; group: string }[];
  products: ReadonlyMap<string, { shortName: string; color: string }>;
  productOfLot: ReadonlyMap<string, string>;
}

export function compare(live: PlanInput, scenario: PlanInput, names: CompareNames): Omit<Comparison, 'scenario' | 'version' | 'skipped'> {
  const now = live.now;
  const window = { from: now, to: now + UTILISATION_WINDOW_MS };
  const a = planOf(live);
  const b = planOf(scenario);
  const useA = utilisationOf(live, a, window.from, window.to);
  const useB = utilisationOf(scenario, b, window.from, window.to);
  const empty = { plannedHours: 0, availableHours: 0, utilisation: 0 };
  const utilisation = names.machines.map((m) => ({ machine: m.key, name: m.name, group: m.group, live: useA.get(m.key) ?? empty, scenario: useB.get(m.key) ?? empty }));

  const lots = [...new Set([...a.ends.keys(), ...b.ends.keys()])];
  const finishes = lots.map((lot) => {
    const before = a.ends.get(lot);
    const after = b.ends.get(lot);
    const due = after?.due ?? before?.due ?? null;
    const liveEnd = before?.end ?? null;
    const scenarioEnd = after?.end ?? null;
    const difference = liveEnd !== null && scenarioEnd !== null ? scenarioEnd - liveEnd : null;
    const product = names.productOfLot.get(lot) ?? '';
    const look = names.products.get(product);
    return {
      lot,
      product,
      shortName: look?.shortName ?? product,
      color: look?.color ?? '#888888',
      due,
      liveEnd,
      scenarioEnd,
      differenceHours: difference === null ? null : difference / MS_PER_HOUR,
      liveLate: liveEnd !== null && due !== null && liveEnd > due,
      scenarioLate: scenarioEnd !== null && due !== null && scenarioEnd > due,
      added: before === undefined,
      changed: before === undefined || after === undefined || (difference === null ? liveEnd !== scenarioEnd : Math.abs(difference) >= SAME_FINISH_MS),
    };
  });
  const magnitude = (f: (typeof finishes)[number]) => (f.differenceHours === null ? Infinity : Math.abs(f.differenceHours));
  finishes.sort((x, y) => {
    if (x.changed !== y.changed) return x.changed ? -1 : 1;
    if (x.changed && magnitude(x) !== magnitude(y)) return magnitude(y) - magnitude(x);
    const ex = x.scenarioEnd ?? Infinity;
    const ey = y.scenarioEnd ?? Infinity;
    return ex !== ey ? ex - ey : x.lot < y.lot ? -1 : 1;
  });
  return { computedAt: now, window, kpis: { live: a.kpis, scenario: b.kpis }, utilisation, finishes };
}
