// The living demo's machine, one cycle at a time (issue 12 item 1): pure — "now" is a parameter,
// randomness is a seeded PRNG whose state travels in the machine's state, so the same jobs, calendar
// and seed give the same cycles however the time is cut into ticks.
//
// Per machine it runs the first unfinished job of the queue it is given (the board's head), with
// the job's item number and serials continuing from what the lot has produced; it makes cycles only
// in working time of the calendar; when the lot's quantity is reached it changes over to the next
// job (a stop of 35–60 min, then a run of empty pockets). Between cycles it draws the calibrated
// generator's behaviour (core/sensor/generate.ts): interval clusters 420–504 ms, micro (1–12 s),
// short (12–60 s) and medium (1–5 min) stops, slow spells, long stops of 30–45 min (~1.3 a day),
// the plant's breaks by the clock (each skipped on 1 day in 5), empty pockets (blocks of 7, singles,
// pairs) and reworked strips coming back.
import { IANAZone } from 'luxon';
import { workingIntervals, type CalendarSpec, type Interval } from '../calendar/index.js';
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE } from '../time.js';
import { hashOf, MULBERRY_STEP, mulberryMix } from '../random.js';
import { LONG_STOP_PER_CYCLE, INTERVAL_MODES_MS, INTERVAL_MODE_CUMULATIVE, BREAKS, BREAK_SKIP_PROBABILITY, MICRO_STOP_PER_CYCLE, SHORT_STOP_PER_CYCLE, MEDIUM_STOP_PER_CYCLE, SLOW_SPELL_PER_CYCLE, EMPTY_BLOCK_OF_7_PER_CYCLE, EMPTY_SINGLE_PER_CYCLE, EMPTY_PAIR_PER_CYCLE, REWORK_PER_PART } from '../sensor/calibration.js';

export interface SimJob {
  lot: string;
  /** the product's item number (digits): the camera line's first field */
  item: string;
  quantity: number;
  /** what the board says is produced (used when the machine starts this lot) */
  produced: number;
}

export interface MachineSim {
  machine: string;
  /** PRNG state (mulberry32) */
  rng: number;
  /** the instant of the next cycle (already drawn; moved into working time when run), UTC ms */
  nextAt: number;
  /** lot being run, null when idle */
  lot: string | null;
  item: string | null;
  /** parts (without reworks) of the lot so far: the next new serial is count + 1 */
  count: number;
  emptyRemaining: number;
  slowUntil: number;
  /** lots this machine finished (latest last, at most 20): not run again though the board may not have caught up */
  finished: string[];
}

export interface SimCycle {
  at: number;
  lot: string;
  item: string;
  /** 0 = empty pocket */
  serial: number;
  rework: boolean;
}

export type SimEvent = { kind: 'finished'; lot: string; at: number } | { kind: 'changeover'; from: string | null; to: string; at: number };

export interface SimulateInput {
  state: MachineSim;
  /** the machine's queue in board order */
  jobs: readonly SimJob[];
  calendar: CalendarSpec;
  zone: string;
  /** run up to (not including) this instant */
  until: number;
  /**
   * How many times the calibrated micro-stop probability the machine has at an instant (the film
   * drifting thick jams it more often: see channels.ts `microStopMultiplierOf`); ×1 when absent.
   * A function of time only, so the cycles stay the same however time is cut into ticks.
   */
  microStopMultiplier?: (at: number) => number;
}

export interface SimulateResult {
  state: MachineSim;
  cycles: SimCycle[];
  events: SimEvent[];
}

/** How far ahead the next working interval is searched (a long holiday). */
const SEARCH_DAYS = 14;

/** A machine that starts at `startAt` (its first cycle in working time from then), the PRNG seeded from (seed, machine). */
export function initialMachineSim(machine: string, seed: number, startAt: number): MachineSim {
  return { machine, rng: hashOf('simulate', seed, machine), nextAt: startAt, lot: null, item: null, count: 0, emptyRemaining: 0, slowUntil: -1, finished: [] };
}

/** After a pause: the next cycle is not before `now` (a start-up of 0.5–3 s). */
export function resumeMachineSim(state: MachineSim, now: number): MachineSim {
  if (state.nextAt >= now) return state;
  const next = { ...state };
  next.nextAt = now + Math.round(500 + uniformOf(next) * 2500);
  return next;
}

/** Runs the machine from where its state stands up to `until`. */
export function simulateMachine(input: SimulateInput): SimulateResult {
  const { jobs, calendar, zone, until, microStopMultiplier } = input;
  const state: MachineSim = { ...input.state };
  const cycles: SimCycle[] = [];
  const events: SimEvent[] = [];
  const working = new WorkingTime(calendar, zone);
  const breaks = new Breaks(zone, state.machine);
  // the machine's count of the lot it runs is its own; every other lot starts from the board's count
  const countOf = (job: SimJob) => (job.lot === state.lot ? state.count : job.produced);
  const head = () => jobs.find((job) => job.quantity > countOf(job) && !state.finished.includes(job.lot)) ?? null;
  const finish = (lot: string, at: number) => {
    events.push({ kind: 'finished', lot, at });
    state.finished = [...state.finished.filter((l) => l !== lot), lot].slice(-20);
  };

  // (fit leaves an instant already in working time as it is, drawing nothing)
  state.nextAt = working.fit(state, state.nextAt, breaks) ?? Math.max(state.nextAt, until);
  for (;;) {
    const job = head();
    if (job === null) {
      // idle: nothing to run; time goes by (no burst of old cycles when work arrives)
      if (state.lot !== null) {
        if (jobs.some((j) => j.lot === state.lot && j.quantity <= state.count)) finish(state.lot, Math.min(state.nextAt, until));
        state.lot = null;
        state.item = null;
      }
      state.nextAt = Math.max(state.nextAt, until);
      break;
    }
    if (job.lot !== state.lot) {
      const at = state.nextAt;
      if (at >= until) break;
      if (state.lot !== null && jobs.some((j) => j.lot === state.lot && j.quantity <= state.count)) finish(state.lot, at);
      events.push({ kind: 'changeover', from: state.lot, to: job.lot, at });
      const first = state.lot === null;
      state.lot = job.lot;
      state.item = job.item;
      state.count = job.produced;
      state.emptyRemaining = integerBetween(state, 10, 40);
      if (!first) {
        // the changeover stop, then the first cycle in working time
        const after = at + Math.round(uniformBetween(state, 35, 60) * MS_PER_MINUTE);
        state.nextAt = working.fit(state, after, breaks) ?? after;
        continue;
      }
    }
    const at = state.nextAt;
    if (at >= until) break;
    cycles.push(makeCycle(state, at));
    state.nextAt = drawNext(state, at, working, breaks, microStopMultiplier);
  }
  return { state, cycles, events };
}

function makeCycle(state: MachineSim, at: number): SimCycle {
  const lot = state.lot as string;
  const item = state.item as string;
  let part: boolean;
  if (state.emptyRemaining > 0) {
    state.emptyRemaining--;
    part = false;
  } else {
    const pocket = uniformOf(state);
    part = pocket >= EMPTY_BLOCK_OF_7_PER_CYCLE + EMPTY_SINGLE_PER_CYCLE + EMPTY_PAIR_PER_CYCLE;
    if (pocket < EMPTY_BLOCK_OF_7_PER_CYCLE) state.emptyRemaining = 6;
    else if (pocket >= EMPTY_BLOCK_OF_7_PER_CYCLE + EMPTY_SINGLE_PER_CYCLE && !part) state.emptyRemaining = 1;
  }
  if (!part) return { at, lot, item, serial: 0, rework: false };
  if (state.count > 200 && uniformOf(state) < REWORK_PER_PART) {
    return { at, lot, item, serial: state.count - integerBetween(state, 100, Math.min(8000, state.count - 1)), rework: true };
  }
  state.count++;
  return { at, lot, item, serial: state.count, rework: false };
}

/** The micro-stop probability a multiplier can raise it to: the other stops keep their share of the draw. */
const MAX_MICRO_STOP_PER_CYCLE = 0.5;

function microStopProbability(multiplier: ((at: number) => number) | undefined, at: number): number {
  if (multiplier === undefined) return MICRO_STOP_PER_CYCLE;
  const factor = multiplier(at);
  if (!Number.isFinite(factor) || factor < 0) throw new RangeError(`micro-stop multiplier at ${at} is ${factor}: it must be a finite number ≥ 0`);
  return Math.min(MICRO_STOP_PER_CYCLE * factor, MAX_MICRO_STOP_PER_CYCLE);
}

function drawNext(state: MachineSim, from: number, working: WorkingTime, breaks: Breaks, multiplier: ((at: number) => number) | undefined): number {
  let interval: number;
  if (from < state.slowUntil) {
    interval = uniformBetween(state, 650, 1000);
  } else {
    const mode = uniformOf(state);
    let index = 0;
    while (mode >= INTERVAL_MODE_CUMULATIVE[index]) index++;
    interval = INTERVAL_MODES_MS[index] + uniformBetween(state, -3, 3);
    if (uniformOf(state) < SLOW_SPELL_PER_CYCLE) state.slowUntil = from + uniformBetween(state, 3, 15) * MS_PER_MINUTE;
  }
  const stop = uniformOf(state);
  // same draws as without a multiplier: at ×1 the thresholds are the calibrated ones exactly
  const micro = microStopProbability(multiplier, from);
  if (stop < micro) interval += Math.min(1100 + exponential(state, 1800), 11_900);
  else if (stop < micro + SHORT_STOP_PER_CYCLE) interval += Math.min(12_000 + exponential(state, 16_000), 59_900);
  else if (stop < micro + SHORT_STOP_PER_CYCLE + MEDIUM_STOP_PER_CYCLE) {
    interval += Math.min(60_000 + exponential(state, 35_000), 299_000);
    if (uniformOf(state) < 0.3) state.emptyRemaining = Math.max(state.emptyRemaining, integerBetween(state, 1, 7));
  } else if (stop < micro + SHORT_STOP_PER_CYCLE + MEDIUM_STOP_PER_CYCLE + LONG_STOP_PER_CYCLE) {
    interval += uniformBetween(state, 30, 45) * MS_PER_MINUTE;
  }
  const next = from + Math.round(interval);
  return working.fit(state, next, breaks) ?? next + MS_PER_DAY * SEARCH_DAYS;
}

/** Working intervals of the calendar, fetched a window at a time. */
class WorkingTime {
  private cached: Interval[] = [];
  private cachedFrom = Number.POSITIVE_INFINITY;
  private cachedTo = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly calendar: CalendarSpec,
    private readonly zone: string,
  ) {}

  /** `at` when it lies in working time outside a break; else the next working start (+ a start-up of 2–10 min) or a break's end. */
  fit(state: MachineSim, at: number, breaks: Breaks): number | null {
    let candidate = at;
    for (let guard = 0; guard < 64; guard++) {
      const interval = this.intervalAtOrAfter(candidate);
      if (interval === null) return null;
      if (candidate < interval.start) candidate = interval.start + Math.round(uniformBetween(state, 2, 10) * MS_PER_MINUTE);
      if (candidate >= interval.end) {
        candidate = interval.end;
        continue;
      }
      const breakEnd = breaks.endOfBreakAt(candidate);
      if (breakEnd === null) return candidate;
      candidate = breakEnd + Math.round(uniformOf(state) * 2000);
    }
    return null;
  }

  private intervalAtOrAfter(at: number): Interval | null {
    // when the window holds nothing after `from`, search on from the window's end (not from + the
    // window's length: a window fetched earlier may end well before that, and the days between were skipped)
    for (let from = at; from < at + SEARCH_DAYS * MS_PER_DAY; from = this.cachedTo) {
      if (from < this.cachedFrom || from >= this.cachedTo) {
        this.cachedFrom = from - MS_PER_HOUR;
        this.cachedTo = from + 2 * MS_PER_DAY;
        this.cached = workingIntervals(this.calendar, this.zone, this.cachedFrom, this.cachedTo);
      }
      for (const interval of this.cached) if (interval.end > from) return interval;
    }
    return null;
  }
}

/** The plant's breaks by the local clock; whether a break is skipped is drawn per machine, day and break. */
class Breaks {
  constructor(
    private readonly zone: string,
    private readonly machine: string,
  ) {}

  endOfBreakAt(at: number): number | null {
    const offset = offsetMs(this.zone, at);
    const local = at + offset;
    const day = Math.floor(local / MS_PER_DAY);
    const minuteOfDay = (local - day * MS_PER_DAY) / MS_PER_MINUTE;
    for (const [index, [start, length]] of BREAKS.entries()) {
      if (minuteOfDay < start || minuteOfDay >= start + length) continue;
      if (mulberryOnce(hashOf('break', this.machine, day, index)) < BREAK_SKIP_PROBABILITY) continue;
      return day * MS_PER_DAY + (start + length) * MS_PER_MINUTE - offset;
    }
    return null;
  }
}

// ---- camera lines --------------------------------------------------------------------------

/** The camera's line for a cycle (`1330700,159070,137622,1,10/11/22 12:39:21.479`; an empty pocket `1330700,0,0,0,…`). */
export function cameraLine(cycle: SimCycle, zone: string): string {
  const stamp = cameraTimestamp(cycle.at, zone);
  return cycle.serial === 0 ? `${cycle.item},0,0,0,${stamp}` : `${cycle.item},${cycle.lot},${cycle.serial},1,${stamp}`;
}

/** `MM/DD/YY HH:MM:SS.fff` in the plant's zone. */
export function cameraTimestamp(at: number, zone: string): string {
  const local = at + offsetMs(zone, at);
  const date = new Date(local);
  const two = (n: number) => (n < 10 ? `0${n}` : String(n));
  const ms = date.getUTCMilliseconds();
  return `${two(date.getUTCMonth() + 1)}/${two(date.getUTCDate())}/${two(date.getUTCFullYear() % 100)} ${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}.${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}`;
}

const OFFSET_BUCKET_MS = 15 * MS_PER_MINUTE;
const offsetCache = new Map<string, number>();

/** The zone's UTC offset at `at` in ms, remembered per quarter hour (zones change offset on quarter hours). */
function offsetMs(zone: string, at: number): number {
  const key = `${zone} ${Math.floor(at / OFFSET_BUCKET_MS)}`;
  let offset = offsetCache.get(key);
  if (offset === undefined) {
    if (offsetCache.size > 10_000) offsetCache.clear();
    offset = IANAZone.create(zone).offset(at) * MS_PER_MINUTE;
    offsetCache.set(key, offset);
  }
  return offset;
}

// ---- randomness ----------------------------------------------------------------------------

/** mulberry32 with its state in the machine's state. */
function uniformOf(state: MachineSim): number {
  state.rng = (state.rng + MULBERRY_STEP) >>> 0;
  return mulberryMix(state.rng);
}

function mulberryOnce(seed: number): number {
  const state = { rng: seed } as MachineSim;
  return uniformOf(state);
}

function uniformBetween(state: MachineSim, low: number, high: number): number {
  return low + uniformOf(state) * (high - low);
}

function integerBetween(state: MachineSim, low: number, high: number): number {
  return Math.floor(uniformBetween(state, low, high + 1));
}

function exponential(state: MachineSim, mean: number): number {
  return -Math.log(1 - uniformOf(state)) * mean;
}

