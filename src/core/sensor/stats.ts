// Descriptive statistics of a run of camera cycles: what the demo-data generator is calibrated
// against, and a quick look at a file without an OEE profile. Gaps follow DESIGN §4: the gap of a
// cycle is its instant minus the previous cycle's; a stop is a gap > maxCycleSeconds.
import { isNoLot, type Cycle } from './parse.js';

export interface StopClass {
  /** lower bound of the class (inclusive, except the first class, whose bound is maxCycleSeconds itself, exclusive) */
  fromSeconds: number;
  /** upper bound (exclusive); null for the last, open class */
  toSeconds: number | null;
  count: number;
  /** summed duration of the stops of this class */
  seconds: number;
}

export interface LotRun {
  item: string;
  lot: string;
  /** UTC ms of the run's first and last cycle */
  first: number;
  last: number;
  /** cycles carrying this lot in the run (empty pockets logged with no lot are not counted) */
  cycles: number;
}

export interface SensorSummary {
  cycles: number;
  parts: number;
  emptyCycles: number;
  /** parts whose (lot, serial) was already seen earlier in the input */
  reworks: number;
  /** cycles per minute over the running time only (gaps ≤ maxCycleSeconds) */
  runningRatePerMinute: number;
  /** (span − time in gaps ≥ availabilityLossSeconds) / span; null when there is no span (< 2 cycles) */
  availability: number | null;
  /** gaps < 0: the camera clock stepped back */
  gapsBackwards: number;
  stopsByClass: StopClass[];
  /** runs of consecutive cycles of one (item, lot), in order; no-lot cycles neither start nor break a run */
  lots: LotRun[];
  /** UTC ms of the first and last cycle (null when there are none) */
  firstAt: number | null;
  lastAt: number | null;
  /** lastAt − firstAt */
  spanMs: number;
  /** time in gaps ≥ availabilityLossSeconds */
  stopMs: number;
}

export interface SummarizeOptions {
  /** lower bounds of the stop classes, ascending (default: the iTrak legacy bins 1.1 / 12 / 60 / 300 s) */
  stopBinsSeconds?: number[];
  /** a gap at least this long is an availability loss (default 60 s) */
  availabilityLossSeconds?: number;
}

export const DEFAULT_STOP_BINS_SECONDS = [1.1, 12, 60, 300];
export const DEFAULT_AVAILABILITY_LOSS_SECONDS = 60;

/** True when a serial number identifies no strip (the camera writes '0', sometimes zero-padded). */
function isNoSerial(serial: string): boolean {
  return isNoLot(serial);
}

/**
 * Summarizes cycles in the order given (a file's order: the clock may step back, so cycles are
 * not re-sorted — a backwards step is a negative gap, counted in gapsBackwards, and treated as a
 * zero-length gap for the running rate).
 */
export function summarize(cycles: Cycle[], maxCycleSeconds = 1.1, options: SummarizeOptions = {}): SensorSummary {
  const bins = options.stopBinsSeconds ?? DEFAULT_STOP_BINS_SECONDS;
  // Gaps are whole milliseconds; whole-ms bounds keep 1.1 s from becoming 1100.0000000000002 ms.
  const availabilityLossMs = Math.round((options.availabilityLossSeconds ?? DEFAULT_AVAILABILITY_LOSS_SECONDS) * 1000);
  const maxCycleMs = Math.round(maxCycleSeconds * 1000);
  const stopsByClass: StopClass[] = bins.map((fromSeconds, index) => ({
    fromSeconds,
    toSeconds: index + 1 < bins.length ? bins[index + 1] : null,
    count: 0,
    seconds: 0,
  }));
  const binBoundsMs = bins.map((seconds) => Math.round(seconds * 1000));

  let parts = 0;
  let reworks = 0;
  let runningCycles = 0;
  let runningMs = 0;
  let gapsBackwards = 0;
  let stopMs = 0;
  const seenStrips = new Map<string, Set<string>>();
  const lots: LotRun[] = [];
  let currentLot: LotRun | null = null;

  for (let index = 0; index < cycles.length; index++) {
    const cycle = cycles[index];
    if (cycle.part) {
      parts++;
      if (!isNoSerial(cycle.serial)) {
        let serials = seenStrips.get(cycle.lot);
        if (serials === undefined) seenStrips.set(cycle.lot, (serials = new Set()));
        if (serials.has(cycle.serial)) reworks++;
        else serials.add(cycle.serial);
      }
    }

    if (!isNoLot(cycle.lot)) {
      if (currentLot !== null && currentLot.lot === cycle.lot && currentLot.item === cycle.item) {
        currentLot.last = cycle.at;
        currentLot.cycles++;
      } else {
        currentLot = { item: cycle.item, lot: cycle.lot, first: cycle.at, last: cycle.at, cycles: 1 };
        lots.push(currentLot);
      }
    }

    if (index === 0) continue;
    const gapMs = cycle.at - cycles[index - 1].at;
    if (gapMs < 0) gapsBackwards++;
    if (gapMs <= maxCycleMs) {
      runningCycles++;
      if (gapMs > 0) runningMs += gapMs;
      continue;
    }
    if (gapMs >= availabilityLossMs) stopMs += gapMs;
    // Last class whose lower bound the gap reaches; a stop below the first bound joins the first class.
    let classIndex = 0;
    while (classIndex + 1 < binBoundsMs.length && gapMs >= binBoundsMs[classIndex + 1]) classIndex++;
    const stopClass = stopsByClass[classIndex];
    if (stopClass !== undefined) {
      stopClass.count++;
      stopClass.seconds += gapMs / 1000;
    }
  }

  const firstAt = cycles.length > 0 ? cycles[0].at : null;
  const lastAt = cycles.length > 0 ? cycles[cycles.length - 1].at : null;
  const spanMs = firstAt !== null && lastAt !== null ? lastAt - firstAt : 0;
  return {
    cycles: cycles.length,
    parts,
    emptyCycles: cycles.length - parts,
    reworks,
    runningRatePerMinute: runningMs > 0 ? runningCycles / (runningMs / 60_000) : 0,
    availability: spanMs > 0 ? (spanMs - stopMs) / spanMs : null,
    gapsBackwards,
    stopsByClass,
    lots,
    firstAt,
    lastAt,
    spanMs,
    stopMs,
  };
}
