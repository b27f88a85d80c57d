// From a batch of parsed cycles to the rows of the derived tables. Pure (no I/O, no clock): the
// ingest service feeds it the machine's carried state and a rework registry, and stores the result
// in the same transaction as the raw cycles.
//
// Why these derived forms are enough to reproduce computeOee (src/core/oee/oee.ts) exactly for any
// minute-aligned window and any profile with maxCycleSeconds ≥ 1.0 s — see derived-oee.ts:
// - every gap > 1 s is kept as an interval, so stops, their classes and their overlap with any
//   loading time are computed from the intervals themselves;
// - per minute/hour: counts, first/last part instant, Σ positive gaps (running time = that minus the
//   stops' gaps) and the "lead-in" (the part of gaps ≤ 1 s reaching back before the period start,
//   which the window clips away).
import { isNoLot, type Cycle } from '../sensor/index.js';
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, floorTo } from '../time.js';

/** Gaps longer than this are stored one by one (the minimum maxCycleSeconds a profile may use). */
export const STORED_GAP_MIN_MS = 1000;

export interface PeriodCounts {
  cycles: number;
  parts: number;
  empty: number;
  reworks: number;
  firstPartAt: number | null;
  lastPartAt: number | null;
  firstAt: number;
  lastAt: number;
  /** Σ max(0, gap) of the period's cycles that have a previous cycle */
  gapMs: number;
  /** Σ (period start − previous) over cycles with 0 < gap ≤ 1 s whose previous cycle lies before the period */
  leadInMs: number;
}

export interface LotTotals {
  lot: string;
  item: string;
  cycles: number;
  parts: number;
  reworks: number;
  firstAt: number;
  lastAt: number;
}

/** What a batch chains onto: the machine's state after everything stored before it. */
export interface MachineCarry {
  /** instant of the machine's very first cycle (the only one without a gap) */
  firstAt: number | null;
  /** instant of the last cycle stored, in arrival order */
  lastAt: number | null;
  maxGapMs: number;
}

/** Decides (and remembers) whether a part is a rework: core/oee's PartRegistry fits. */
export interface ReworkJudge {
  isRework(lot: string, serial: string): boolean;
}

export interface GapInterval {
  start: number;
  end: number;
}

export interface DerivedBatch {
  /** 1 where cycles[i] is a reworked part */
  reworks: Uint8Array;
  /** gaps > STORED_GAP_MIN_MS ending at a cycle of the batch, in arrival order */
  gaps: GapInterval[];
  minutes: Map<number, PeriodCounts>;
  hours: Map<number, PeriodCounts>;
  /** lots with a lot number (no-lot cycles are not a lot) */
  lots: Map<string, LotTotals>;
  carry: MachineCarry;
  /** earliest and latest instant in the batch (null when empty) */
  firstAt: number | null;
  lastAt: number | null;
}

function emptyCounts(at: number): PeriodCounts {
  return { cycles: 0, parts: 0, empty: 0, reworks: 0, firstPartAt: null, lastPartAt: null, firstAt: at, lastAt: at, gapMs: 0, leadInMs: 0 };
}

/** Adds one cycle to a period's counts (previous = the cycle before it in arrival order, or null). */
function count(period: PeriodCounts, periodStart: number, at: number, part: boolean, rework: boolean, previous: number | null): void {
  period.cycles++;
  if (part) {
    period.parts++;
    if (rework) period.reworks++;
    if (period.firstPartAt === null || at < period.firstPartAt) period.firstPartAt = at;
    if (period.lastPartAt === null || at > period.lastPartAt) period.lastPartAt = at;
  } else {
    period.empty++;
  }
  if (at < period.firstAt) period.firstAt = at;
  if (at > period.lastAt) period.lastAt = at;
  if (previous !== null) {
    const gap = at - previous;
    if (gap > 0) {
      period.gapMs += gap;
      if (gap <= STORED_GAP_MIN_MS && previous < periodStart) period.leadInMs += periodStart - previous;
    }
  }
}

/** Sums two period counts (the merge a database upsert performs). */
export function mergeCounts(into: PeriodCounts, add: PeriodCounts): void {
  into.cycles += add.cycles;
  into.parts += add.parts;
  into.empty += add.empty;
  into.reworks += add.reworks;
  if (add.firstPartAt !== null && (into.firstPartAt === null || add.firstPartAt < into.firstPartAt)) into.firstPartAt = add.firstPartAt;
  if (add.lastPartAt !== null && (into.lastPartAt === null || add.lastPartAt > into.lastPartAt)) into.lastPartAt = add.lastPartAt;
  if (add.firstAt < into.firstAt) into.firstAt = add.firstAt;
  if (add.lastAt > into.lastAt) into.lastAt = add.lastAt;
  into.gapMs += add.gapMs;
  into.leadInMs += add.leadInMs;
}

/**
 * Derives one batch. Cycles are taken in arrival (file) order, never re-sorted: the gap of a cycle
 * is its instant minus the previous cycle's, negative when the camera clock stepped back.
 */
export function deriveBatch(cycles: readonly Cycle[], carry: MachineCarry, judge: ReworkJudge): DerivedBatch {
  const reworks = new Uint8Array(cycles.length);
  const gaps: GapInterval[] = [];
  const minutes = new Map<number, PeriodCounts>();
  const hours = new Map<number, PeriodCounts>();
  const lots = new Map<string, LotTotals>();
  let firstAt = carry.firstAt;
  let previous = carry.lastAt;
  let maxGapMs = carry.maxGapMs;
  let batchFirst: number | null = null;
  let batchLast: number | null = null;
  // consecutive cycles share minute, hour and lot: skip the map lookups for them
  let minuteStart = Number.NaN;
  let minute: PeriodCounts | null = null;
  let hourStart = Number.NaN;
  let hour: PeriodCounts | null = null;
  let lotTotals: LotTotals | null = null;

  for (let i = 0; i < cycles.length; i++) {
    const cycle = cycles[i];
    const at = cycle.at;
    const rework = cycle.part && judge.isRework(cycle.lot, cycle.serial);
    if (rework) reworks[i] = 1;
    if (firstAt === null) firstAt = at;
    if (batchFirst === null || at < batchFirst) batchFirst = at;
    if (batchLast === null || at > batchLast) batchLast = at;

    if (previous !== null) {
      const gap = at - previous;
      if (gap > STORED_GAP_MIN_MS) {
        gaps.push({ start: previous, end: at });
        if (gap > maxGapMs) maxGapMs = gap;
      }
    }

    const thisMinute = floorTo(at, MS_PER_MINUTE);
    if (thisMinute !== minuteStart || minute === null) {
      minuteStart = thisMinute;
      minute = minutes.get(thisMinute) ?? null;
      if (minute === null) minutes.set(thisMinute, (minute = emptyCounts(at)));
    }
    count(minute, minuteStart, at, cycle.part, rework, previous);
    const thisHour = floorTo(at, MS_PER_HOUR);
    if (thisHour !== hourStart || hour === null) {
      hourStart = thisHour;
      hour = hours.get(thisHour) ?? null;
      if (hour === null) hours.set(thisHour, (hour = emptyCounts(at)));
    }
    count(hour, hourStart, at, cycle.part, rework, previous);

    if (!isNoLot(cycle.lot)) {
      if (lotTotals === null || lotTotals.lot !== cycle.lot) {
        lotTotals = lots.get(cycle.lot) ?? null;
        if (lotTotals === null) lots.set(cycle.lot, (lotTotals = { lot: cycle.lot, item: cycle.item, cycles: 0, parts: 0, reworks: 0, firstAt: at, lastAt: at }));
      }
      lotTotals.item = cycle.item;
      lotTotals.cycles++;
      if (cycle.part) lotTotals.parts++;
      if (rework) lotTotals.reworks++;
      if (at < lotTotals.firstAt) lotTotals.firstAt = at;
      if (at > lotTotals.lastAt) lotTotals.lastAt = at;
    }
    previous = at;
  }
  return { reworks, gaps, minutes, hours, lots, carry: { firstAt, lastAt: previous, maxGapMs }, firstAt: batchFirst, lastAt: batchLast };
}

// ---- packed gaps (gap_days.data) -------------------------------------------------------------

/** Packs [start, end, start, end, …] as little-endian float64 (epoch ms are exact in a double). */
export function packGaps(flat: readonly number[]): Buffer {
  const buffer = Buffer.allocUnsafe(flat.length * 8);
  for (let i = 0; i < flat.length; i++) buffer.writeDoubleLE(flat[i], i * 8);
  return buffer;
}

const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

/** The inverse of packGaps; copies into an aligned array (drivers hand out Buffers at any offset). */
export function unpackGaps(data: Uint8Array): Float64Array {
  if (data.byteLength % 16 !== 0) throw new Error(`packed gaps of ${data.byteLength} bytes: not a whole number of (start, end) pairs`);
  if (LITTLE_ENDIAN) {
    // a byte copy into fresh (aligned) memory, read as doubles: no per-value decoding
    const copy = new Uint8Array(data.byteLength);
    copy.set(data);
    return new Float64Array(copy.buffer);
  }
  const values = new Float64Array(data.byteLength / 8);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let i = 0; i < values.length; i++) values[i] = view.getFloat64(i * 8, true);
  return values;
}

/** Groups gaps by the UTC day of their end, as flat [start, end, …] lists. */
export function gapsByDay(gaps: readonly GapInterval[]): Map<number, number[]> {
  const days = new Map<number, number[]>();
  for (const gap of gaps) {
    const day = floorTo(gap.end, MS_PER_DAY);
    let list = days.get(day);
    if (list === undefined) days.set(day, (list = []));
    list.push(gap.start, gap.end);
  }
  return days;
}

/**
 * Counts of stored cycles per period of `unitMs` (minute or hour) without the gap fields, which
 * need the arrival order (gapMs and leadInMs are 0 here): what a period row holds apart from them.
 */
export function countPeriods(cycles: readonly { at: number; part: boolean; rework: boolean }[], unitMs: number): Map<number, PeriodCounts> {
  const periods = new Map<number, PeriodCounts>();
  for (const cycle of cycles) {
    const start = floorTo(cycle.at, unitMs);
    let period = periods.get(start);
    if (period === undefined) periods.set(start, (period = emptyCounts(cycle.at)));
    count(period, start, cycle.at, cycle.part, cycle.part && cycle.rework, null);
  }
  return periods;
}
