// Plan against actual for a process group and a window: per machine the lot runs machine data saw
// (with the stops inside them and the changeovers), the plan as it stood at each shift start of the
// window, and the drift (planned vs made parts in the past shifts; the current job's end then vs now).
import type { Executor } from '../../db/database.js';
import { Invalid, NotFound } from '../../core/errors.js';
import type { OeeProfile } from '../../core/oee/profiles.js';
import { profileLabel } from '../../core/oee/profiles.js';
import { GapIndex } from '../../core/oee/derived-oee.js';
import { isNoLot } from '../../core/sensor/index.js';
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, floorTo } from '../../core/time.js';
import { loadCalendarSpec } from '../calendar/repository.js';
import * as plantRepo from '../plant/repository.js';
import type { Product } from '../plant/schemas.js';
import * as ordersRepo from '../orders/repository.js';
import * as derivedRepo from '../machine-data/derived-repository.js';
import * as machineRepo from '../machine-data/repository.js';
import { resolveProfile } from '../oee/service.js';
import * as operatorRepo from '../operator-input/repository.js';
import { shiftsOverlapping } from './baselines.js';
import * as repo from './repository.js';
import { contestedMinutes, joinRuns, runHolding, runsOfCycles, subtract, type LotSpan, type Run } from './runs.js';
import type { ActualRun, ActualStop, Actuals, BaselineBar, Changeover, Drift, MachineActuals } from './schemas.js';

export { actualsSchema, type Actuals } from './schemas.js';

/** The longest window one request may ask (a Month view with its margins). */
export const MAX_WINDOW_DAYS = 93;
/** Listed stops per machine (all are counted). */
export const MAX_LISTED_STOPS = 5000;

const ceilTo = (instant: number, unit: number) => Math.ceil(instant / unit) * unit;
const toMs = (seconds: number) => Math.round(seconds * 1e6) / 1e3;

/** The profile's class of a stop of this length (the OEE engine's bins), and its label. */
function stopClass(profile: OeeProfile, binsMs: readonly number[], durationMs: number): { class: number; classLabel: string } {
  let index = 0;
  while (index + 1 < binsMs.length && durationMs >= binsMs[index + 1]) index++;
  const low = profile.stopBinsSeconds[index];
  const high = profile.stopBinsSeconds[index + 1];
  return { class: index, classLabel: high === undefined ? `≥ ${low} s` : `${low}–${high} s` };
}

/** A machine's lot runs from its lot totals; raw cycles only where two lots' spans share minutes (see runs.ts). */
export async function lotRuns(db: Executor, machine: string, spans: readonly LotSpan[]): Promise<Run[]> {
  const whole = (s: LotSpan): Run => ({ lot: s.lot, item: s.item, start: s.firstAt, end: s.lastAt, cycles: s.cycles, parts: s.parts });
  const contested = contestedMinutes(spans);
  if (contested.length === 0) return joinRuns(spans.map(whole));
  const itemOf = new Map(spans.map((s) => [s.lot, s.item]));
  const runs: Run[] = [];
  for (const minutes of contested) runs.push(...(await contestedRuns(db, machine, minutes, spans, (lot) => itemOf.get(lot) ?? '')));
  for (const span of spans) {
    const minutes = { start: floorTo(span.firstAt, MS_PER_MINUTE), end: floorTo(span.lastAt, MS_PER_MINUTE) + MS_PER_MINUTE };
    const pieces = subtract(minutes, contested);
    if (pieces.length === 1 && pieces[0].start === minutes.start && pieces[0].end === minutes.end) {
      runs.push(whole(span));
      continue;
    }
    for (const piece of pieces) {
      // every cycle of these minutes is this lot's (or lot-less)
      const sums = await repo.minuteSums(db, machine, piece.start, piece.end);
      if (sums.firstAt === null || sums.lastAt === null) continue;
      runs.push({ lot: span.lot, item: span.item, start: Math.max(sums.firstAt, span.firstAt), end: Math.min(sums.lastAt, span.lastAt), cycles: sums.cycles, parts: sums.parts });
    }
  }
  return joinRuns(runs);
}

/**
 * Runs inside minutes two lots share. The common case is one lot run in the middle of another (the
 * contested minutes are exactly its span): its two edge minutes are read cycle by cycle, and when the
 * minutes between them hold exactly its parts, no other lot ran there — they are one run of it, from
 * the minute counts. Otherwise per minute and lot from one grouped read: a minute holding one lot is
 * that lot's, only a minute holding two is read cycle by cycle.
 */
async function contestedRuns(db: Executor, machine: string, minutes: { start: number; end: number }, spans: readonly LotSpan[], itemOf: (lot: string) => string): Promise<Run[]> {
  const cycles = (from: number, to: number) => repo.cyclesWithLot(db, machine, from, to).then((list) => runsOfCycles(list, isNoLot, itemOf));
  if (minutes.end - minutes.start <= 2 * MS_PER_MINUTE) return cycles(minutes.start, minutes.end);
  const inner = spans.filter((s) => floorTo(s.firstAt, MS_PER_MINUTE) >= minutes.start && s.lastAt < minutes.end);
  if (inner.length === 1 && floorTo(inner[0].firstAt, MS_PER_MINUTE) === minutes.start && floorTo(inner[0].lastAt, MS_PER_MINUTE) === minutes.end - MS_PER_MINUTE) {
    const lot = inner[0];
    const [head, tail, middle] = await Promise.all([
      cycles(minutes.start, minutes.start + MS_PER_MINUTE),
      cycles(minutes.end - MS_PER_MINUTE, minutes.end),
      repo.minuteSums(db, machine, minutes.start + MS_PER_MINUTE, minutes.end - MS_PER_MINUTE),
    ]);
    const edgeParts = [...head, ...tail].filter((r) => r.lot === lot.lot).reduce((sum, r) => sum + r.parts, 0);
    if (middle.firstAt !== null && middle.lastAt !== null && middle.parts === lot.parts - edgeParts) {
      return [...head, { lot: lot.lot, item: lot.item, start: middle.firstAt, end: middle.lastAt, cycles: middle.cycles, parts: middle.parts }, ...tail];
    }
  }
  const rows = (await repo.lotMinutes(db, machine, minutes.start, minutes.end)).filter((r) => !isNoLot(r.lot));
  const runs: Run[] = [];
  for (let i = 0; i < rows.length; ) {
    let j = i;
    while (j < rows.length && rows[j].minute === rows[i].minute) j++;
    if (j - i === 1) {
      const r = rows[i];
      runs.push({ lot: r.lot, item: itemOf(r.lot), start: r.firstAt, end: r.lastAt, cycles: r.cycles, parts: r.parts });
    } else {
      runs.push(...(await cycles(rows[i].minute, rows[i].minute + MS_PER_MINUTE)));
    }
    i = j;
  }
  return runs;
}

interface Lookup {
  productOfLot: Map<string, Product>;
  productOfItem: Map<string, Product>;
}

const productFields = (product: Product | undefined) => ({ product: product?.key ?? null, shortName: product?.shortName ?? null, color: product?.color ?? null });

export async function getActuals(db: Executor, zone: string, groupKey: string, from: number, to: number, now: number): Promise<Actuals> {
  if (!(to > from)) throw Invalid.field('query.to', 'must be after from');
  if (to - from > MAX_WINDOW_DAYS * 86_400_000) throw Invalid.field('query.to', `the window is limited to ${MAX_WINDOW_DAYS} days`);
  const group = await plantRepo.getGroup(db, groupKey);
  if (!group) throw new NotFound('process group', groupKey);
  // whole minutes: the derived counts are per minute
  const windowFrom = floorTo(from, MS_PER_MINUTE);
  const windowTo = ceilTo(to, MS_PER_MINUTE);
  const machines = await plantRepo.listMachines(db, groupKey);
  const keys = machines.map((m) => m.key);
  const [products, calendar, lotRows, recorded, latest, segmentRows] = await Promise.all([
    plantRepo.listProducts(db),
    loadCalendarSpec(db),
    derivedRepo.listLotCounts(db, keys, windowFrom, windowTo),
    repo.baselineShifts(db, windowFrom, windowTo),
    repo.latestBaselineShift(db, now),
    // the operators' reasons of every stop overlapping the window, one read for the group
    operatorRepo.segmentsOverlapping(db, keys, windowFrom, windowTo),
  ]);
  const firstSegments = new Map<string, Map<number, operatorRepo.SegmentRow>>();
  for (const row of segmentRows) {
    const byStart = firstSegments.get(row.machine) ?? new Map<number, operatorRepo.SegmentRow>();
    firstSegments.set(row.machine, byStart);
    if (!byStart.has(row.stopStart)) byStart.set(row.stopStart, row);
  }
  const starts = new Set(recorded.map((s) => s.shiftStart));
  if (latest) starts.add(latest.shiftStart);
  const bars = await repo.baselineBars(db, [...starts], keys);
  const lots = [...new Set([...lotRows.map((l) => l.lot), ...bars.map((b) => b.lot)])];
  const productByKey = new Map(products.map((p) => [p.key, p]));
  const workOrders = await ordersRepo.listWorkOrders(db, lots);
  const lookup: Lookup = {
    productOfLot: new Map(workOrders.flatMap((wo) => (productByKey.has(wo.product_key) ? [[wo.lot, productByKey.get(wo.product_key)!] as const] : []))),
    productOfItem: new Map(products.map((p) => [p.itemNumber, p])),
  };
  const recordedByStart = new Map(recorded.map((s) => [s.shiftStart, s]));
  const shifts = shiftsOverlapping(calendar, zone, windowFrom, windowTo).map((s) => {
    const taken = recordedByStart.get(s.start);
    return { start: s.start, end: s.end, recorded: taken !== undefined, takenAt: taken?.takenAt ?? null };
  });
  const pastEnd = Math.min(windowTo, floorTo(now, MS_PER_MINUTE));
  const result: MachineActuals[] = [];
  for (const machine of machines) {
    const profile = await resolveProfile(db, machine.oeeProfile, 'machine.oeeProfile');
    const spans = lotRows.filter((l) => l.machine === machine.key);
    const machineBars = bars.filter((b) => b.machine === machine.key);
    result.push(await machineActuals(db, { machine, profile, spans, bars: machineBars, recorded, latest, lookup, reasons: firstSegments.get(machine.key) ?? new Map(), from: windowFrom, to: windowTo, pastEnd }));
  }
  return { group: { key: group.key, name: group.name }, from: windowFrom, to: windowTo, now, shifts, machines: result };
}

interface MachineInput {
  machine: { key: string; name: string };
  profile: OeeProfile;
  spans: readonly LotSpan[];
  bars: readonly repo.BaselineBarRow[];
  recorded: readonly repo.BaselineShiftRow[];
  latest: repo.BaselineShiftRow | undefined;
  lookup: Lookup;
  /** the first reason segment of each stop, by stop start */
  reasons: ReadonlyMap<number, operatorRepo.SegmentRow>;
  from: number;
  to: number;
  pastEnd: number;
}

async function machineActuals(db: Executor, input: MachineInput): Promise<MachineActuals> {
  const { machine, profile, lookup, from, to } = input;
  // the past part of the window with a recorded plan: each shift's start plan is compared with what it made
  const compared = input.recorded
    .map((s) => ({ shiftStart: s.shiftStart, start: Math.max(s.shiftStart, from), end: Math.min(s.shiftEnd, input.pastEnd) }))
    .filter((i) => i.end > i.start);
  const state = await machineRepo.getMachineState(db, machine.key);
  const maxGapMs = state?.maxGapMs ?? 0;
  const [runs, gapDays, partsMade] = await Promise.all([
    lotRuns(db, machine.key, input.spans),
    // a stop overlapping the window ends at most maxGap after it
    state ? derivedRepo.packedGaps(db, machine.key, floorTo(from, MS_PER_DAY), floorTo(to + maxGapMs, MS_PER_DAY)) : Promise.resolve([]),
    state ? repo.partsInIntervals(db, machine.key, compared) : Promise.resolve(compared.map(() => 0)),
  ]);
  const visible = runs.filter((r) => r.end >= from && r.start < to);

  // stops: the gaps over maxCycleSeconds inside a run, counted; the long ones (availability losses) listed
  const maxCycleMs = toMs(profile.maxCycleSeconds);
  const listFromMs = toMs(profile.availabilityLossSeconds);
  const binsMs = profile.stopBinsSeconds.map(toMs);
  const counts = visible.map(() => ({ stopCount: 0, stopMs: 0, stops: [] as { start: number; end: number }[] }));
  const between: { start: number; end: number }[] = [];
  let listed = 0;
  let truncated = false;
  const gaps = new GapIndex(gapDays, maxGapMs);
  for (let i = gaps.firstEndingAtOrAfter(from); i < gaps.length; i++) {
    const gap = { start: gaps.starts[i], end: gaps.ends[i] };
    if (gap.start >= to) {
      if (gap.end - gaps.maxGapMs >= to) break;
      continue;
    }
    if (!(gap.end - gap.start > maxCycleMs)) continue;
    const index = runHolding(visible, gap);
    if (index < 0) continue;
    const count = counts[index];
    count.stopCount++;
    count.stopMs += gap.end - gap.start;
    if (gap.end - gap.start < listFromMs) continue;
    if (listed >= MAX_LISTED_STOPS) {
      truncated = true;
      continue;
    }
    listed++;
    count.stops.push(gap);
  }
  for (let i = 1; i < visible.length; i++) {
    if (visible[i].lot !== visible[i - 1].lot && visible[i].start > visible[i - 1].end) between.push({ start: visible[i - 1].end, end: visible[i].start });
  }
  const reasonOf = (start: number) => {
    const row = input.reasons.get(start);
    return row ? { reason: row.reasonId, label: row.label, category: (row.category as ActualStop['category']) ?? null } : null;
  };
  const changeovers: Changeover[] = [];
  const actualRuns: ActualRun[] = visible.map((run, index) => {
    const stops: ActualStop[] = counts[index].stops.map((gap) => {
      const first = reasonOf(gap.start);
      const changeover = first?.category === 'setup';
      if (changeover) changeovers.push({ start: gap.start, end: gap.end, kind: 'setup-reason', fromLot: run.lot, toLot: run.lot, label: first?.label ?? null });
      return { start: gap.start, end: gap.end, seconds: (gap.end - gap.start) / 1000, ...stopClass(profile, binsMs, gap.end - gap.start), reason: first?.reason ?? null, label: first?.label ?? null, category: first?.category ?? null, changeover };
    });
    const product = lookup.productOfLot.get(run.lot) ?? lookup.productOfItem.get(run.item);
    return { lot: run.lot, item: run.item, ...productFields(product), start: run.start, end: run.end, cycles: run.cycles, parts: run.parts, stopCount: counts[index].stopCount, stopSeconds: counts[index].stopMs / 1000, stops };
  });
  for (const gap of between) {
    const before = visible.find((r) => r.end === gap.start);
    const after = visible.find((r) => r.start === gap.end);
    changeovers.push({ start: gap.start, end: gap.end, kind: 'lot-change', fromLot: before?.lot ?? null, toLot: after?.lot ?? null, label: reasonOf(gap.start)?.label ?? null });
  }
  changeovers.sort((a, b) => a.start - b.start);

  // the shift-start plan, each bar shown inside its own shift
  const shiftOf = new Map(input.recorded.map((s) => [s.shiftStart, s]));
  const baseline: BaselineBar[] = [];
  for (const bar of input.bars) {
    const shift = shiftOf.get(bar.shiftStart);
    if (!shift) continue;
    const shownStart = Math.max(bar.start, shift.shiftStart, from);
    const shownEnd = Math.min(bar.end, shift.shiftEnd, to);
    if (!(shownEnd > shownStart)) continue;
    baseline.push({ shiftStart: bar.shiftStart, lot: bar.lot, step: bar.step, ...productFields(lookup.productOfLot.get(bar.lot)), start: bar.start, end: bar.end, remaining: bar.remaining, shownStart, shownEnd });
  }

  return {
    machine: machine.key,
    name: machine.name,
    profile: profileLabel(profile),
    runs: actualRuns,
    changeovers,
    baseline,
    drift: await driftOf(db, machine.key, input, compared, partsMade),
    truncated,
  };
}

async function driftOf(
  db: Executor,
  machine: string,
  input: MachineInput,
  compared: readonly { shiftStart: number; start: number; end: number }[],
  partsMade: readonly number[],
): Promise<Drift> {
  let plannedParts = 0;
  let actualParts = 0;
  let ms = 0;
  for (const [k, interval] of compared.entries()) {
    ms += interval.end - interval.start;
    actualParts += partsMade[k];
    for (const bar of input.bars) {
      if (bar.shiftStart !== interval.shiftStart || !(bar.end > bar.start)) continue;
      const overlap = Math.min(bar.end, interval.end) - Math.max(bar.start, interval.start);
      if (overlap > 0) plannedParts += (bar.remaining * overlap) / (bar.end - bar.start);
    }
  }
  const queue = await ordersRepo.machineQueue(db, machine);
  const current = queue.find((op) => op.state === 'running' || op.state === 'queued');
  const planned = current && input.latest ? input.bars.find((b) => b.shiftStart === input.latest!.shiftStart && b.lot === current.lot && b.step === current.step) : undefined;
  const forecastEnd = current?.forecast_end ?? null;
  const plannedEnd = planned?.end ?? null;
  return {
    hours: Math.round((ms / MS_PER_HOUR) * 100) / 100,
    plannedParts: Math.round(plannedParts),
    actualParts,
    currentLot: current?.lot ?? null,
    currentStep: current?.step ?? null,
    plannedEnd,
    forecastEnd,
    hoursBehind: forecastEnd !== null && plannedEnd !== null ? Math.round(((forecastEnd - plannedEnd) / MS_PER_HOUR) * 10) / 10 : null,
  };
}
