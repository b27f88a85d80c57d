// Synthetic camera logs for the demo plant, in the exact format of the real product-inspect camera
// (`1330700,159070,137622,1,10/11/22 12:39:21.479`), deterministic for a (machine, date, seed).
//
// Calibrated on the eight real line-days in ../shared/data/sensors (Line 7 and Line 8, 10–13 Oct
// 2022), measured with summarize() in stats.ts (maxCycleSeconds 1.1). Per file:
//   running rate (cycles/min while running)  132.1 131.1 110.9 132.5 | 119.5 131.2 127.1 134.1  mean 127.3
//   empty pockets (% of cycles)                3.66  4.37  4.97  4.50 |  3.85  3.99  4.49  5.12  mean 4.37
//   reworks (% of parts)                      0.047 0.012 0.003 0.021 | 0.277 0.174 0.004 0.100  mean 0.080
//   availability (gaps ≥ 60 s, first→last)    0.755 0.735 0.676 0.793 | 0.765 0.802 0.790 0.683  mean 0.750
//   clock steps back per day                   0 5 3 3 | 6 5 6 5 — mostly 0.49–0.58 s, once 0.15/0.26/1.57 s
// Full days: first cycle 05:57–06:12, last 22:23–22:52. Stops per full day by class:
//   1.1–12 s: 68–151 (2–8 min in all) · 12–60 s: 218–310 (109–149 min) · 60–300 s: 27–61 (44–111 min)
//   ≥ 300 s: 7–13 (97–247 min): the plant's breaks (≈08:00 15 min, 10:30 31 min, 13:00 15 min,
//   14:20 10 min, 17:00 17 min, 19:00 32 min, 21:14 15 min), a start-up stop of 7–24 min right after
//   06:00, and one or two long stoppages (34–65 min), e.g. around a lot changeover.
// Cycle intervals while running cluster at 420 / 432 / 455 / 468 / 504 ms (p1 419, p50 455,
// p99 506); some days have slow spells at 700–1000 ms (Line 7 on 12 Oct: p95 864 ms).
// Empty pockets come as blocks of exactly 7 (≈300 a day: a strip splice), singles (≈250) and pairs
// (≈65), plus a run of no-lot cycles when the day starts and after a changeover.
// Reworked strips come back 100–20 000 cycles after their first pass.
// Serials count up per lot and carry over to the next day; a lot spans two to three days
// (serials reach ~200 000), changeovers stop the line for about an hour.
//
// What this generator gives (12 seeds × 4 days, same measure): running rate 130.6/min, empty
// pockets 4.0 %, reworks 0.08 % of parts, availability 0.77 on average (0.69–0.86 per day; the
// brief asks "around 80 %", the real lines show 75 %). generate.test.ts checks this against the
// real files on every run.
import { DateTime } from 'luxon';
import { assertValidZone } from './local-time.js';
import { MS_PER_DAY, MS_PER_MINUTE } from '../time.js';
import { hashOf, mulberry32 } from '../random.js';
import { INTERVAL_MODES_MS, INTERVAL_MODE_CUMULATIVE, BREAKS, BREAK_SKIP_PROBABILITY, MICRO_STOP_PER_CYCLE, SHORT_STOP_PER_CYCLE, MEDIUM_STOP_PER_CYCLE, SLOW_SPELL_PER_CYCLE, EMPTY_BLOCK_OF_7_PER_CYCLE, EMPTY_SINGLE_PER_CYCLE, EMPTY_PAIR_PER_CYCLE, REWORK_PER_PART } from './calibration.js';

export { mulberry32 } from '../random.js';

/** Item numbers of the demo plant's products (see ../shared/data/README.md). */
export const DEMO_ITEMS = ['1169100', '1451300', '1330700', '1440700', '1175000', '1094000'] as const;

export interface DemoLot {
  item: string;
  lot: string;
  /** serial of this lot's first new part today (a lot continuing from an earlier day); default 1 */
  firstSerial?: number;
  /** plant-local 'HH:MM' at which the changeover to this lot starts; ignored for the first lot,
   *  which runs from the start of the day. Default: changeovers spread evenly over 07:00–21:00. */
  startsAt?: string;
}

export interface GenerateDayOptions {
  /** machine key, e.g. line7 (part of the random stream: each machine gets its own day) */
  machine: string;
  /** plant-local date, YYYY-MM-DD */
  date: string;
  /** plant IANA zone (used for `until`) */
  zone: string;
  seed: number;
  /** the lots to run this day, in order; default: the machine's own lot plan (lots of 2–3 days) */
  lots?: DemoLot[];
  /** item numbers the automatic lot plan draws from (default DEMO_ITEMS); ignored with `lots` */
  items?: readonly string[];
  /** UTC ms: leave out cycles at or after this instant (today's file, still being written) */
  until?: number;
}

export interface GeneratedDay {
  date: string;
  fileName: string;
  lines: string[];
}

export interface GenerateDaysOptions {
  machine: string;
  /** last day, plant-local YYYY-MM-DD */
  endDate: string;
  days: number;
  zone: string;
  seed: number;
  /** item numbers the lot plan draws from (default DEMO_ITEMS) */
  items?: readonly string[];
  /** UTC ms: leave out cycles at or after this instant (so "today" is only filled up to now) */
  until?: number;
  /**
   * The day's pace: running cycle intervals are multiplied by it (1.1 = a 10 % slower day). Default 1
   * for every day, the calibrated generator. The real lines' days differ (running rate 110.9–134.1
   * per min): forecast tuning draws day paces to meet that, see scripts/forecast-tune.ts.
   */
  paceOf?: (date: string) => number;
}

// ---- deterministic randomness --------------------------------------------------------------

// ---- calendar helpers (plain calendar dates: no zone involved) -----------------------------

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseDate(date: string): { year: number; month: number; day: number } {
  const match = DATE_PATTERN.exec(date);
  const parsed = match === null ? null : DateTime.fromISO(date, { zone: 'utc' });
  if (match === null || parsed === null || !parsed.isValid) throw new Error(`date '${date}' is not a valid YYYY-MM-DD date`);
  return { year: parsed.year, month: parsed.month, day: parsed.day };
}

/** Days since 1970-01-01 of a calendar date. */
function dayNumberOf(date: string): number {
  return Math.round(DateTime.fromISO(date, { zone: 'utc' }).toMillis() / MS_PER_DAY);
}

function dateOfDayNumber(dayNumber: number): string {
  const iso = DateTime.fromMillis(dayNumber * MS_PER_DAY, { zone: 'utc' }).toISODate();
  if (iso === null) throw new Error(`day number ${dayNumber} is out of range`);
  return iso;
}

/** 'PR20221011.txt' for 2022-10-11: the camera's file name for a plant-local day. */
export function demoFileName(date: string): string {
  parseDate(date);
  return `PR${date.replaceAll('-', '')}.txt`;
}

// ---- the machine's lot plan ----------------------------------------------------------------

/** Chance that a lot changes on a day; a lot that has run three whole days always changes on the
 *  fourth. Lots then last about 2–3 days (serials up to ~250 000), as on the real lines. */
const CHANGEOVER_PROBABILITY = 0.4;
const MAX_DAYS_WITHOUT_CHANGEOVER = 3;
/** How far back the walk for a free (random) changeover goes; 0.6^200 ≈ never reached. */
const LOT_SEARCH_DAYS = 200;
const LOT_NUMBER_BASE = 154_000;

/**
 * 0–9, the last digit of this machine's lot numbers, so machines do not share lots: the key's own
 * trailing number when it has one (line7 → 7, line10 → 0: lines 6–11 all differ), else a hash.
 */
function machineLotSlot(machine: string): number {
  const trailingNumber = /(\d+)$/.exec(machine);
  if (trailingNumber !== null) return Number(trailingNumber[1]) % 10;
  return hashOf('lot-slot', machine) % 10;
}

/** The day's draw: does the lot change by chance today, and at which minute would a changeover start. */
function changeoverDraw(seed: number, machine: string, dayNumber: number): { byChance: boolean; minute: number } {
  const random = mulberry32(hashOf('changeover', seed, machine, dayNumber));
  const byChance = random() < CHANGEOVER_PROBABILITY;
  return { byChance, minute: Math.floor(9 * 60 + random() * 9 * 60) };
}

/**
 * Minute of the day at which this machine changes lot on this day, or null. A chance changeover
 * needs nothing but the day's draw; a forced one (after three days without) depends on the days
 * before, so we walk forward from the last chance changeover — a pure function of the date.
 */
function changeoverMinuteOn(seed: number, machine: string, dayNumber: number): number | null {
  let lastChance = dayNumber;
  while (lastChance > dayNumber - LOT_SEARCH_DAYS && !changeoverDraw(seed, machine, lastChance).byChance) lastChance--;
  let daysWithoutChangeover = 0;
  for (let day = lastChance + 1; day <= dayNumber; day++) {
    if (daysWithoutChangeover >= MAX_DAYS_WITHOUT_CHANGEOVER) daysWithoutChangeover = 0;
    else daysWithoutChangeover++;
  }
  const draw = changeoverDraw(seed, machine, dayNumber);
  return draw.byChance || (dayNumber > lastChance && daysWithoutChangeover === 0) ? draw.minute : null;
}

/** The lot this machine starts on a changeover day: numbered by day (one per machine and day), ~159 000 today. */
function lotStartedOn(seed: number, machine: string, dayNumber: number, items: readonly string[]): { item: string; lot: string } {
  const lotNumber = LOT_NUMBER_BASE + (((dayNumber % 1000) + 1000) % 1000) * 10 + machineLotSlot(machine);
  // A changeover usually brings another product: step past the previous lot's drawn item.
  const drawn = itemDrawOn(seed, machine, dayNumber, items.length);
  const previousDrawn = itemDrawOn(seed, machine, lastChangeoverBefore(seed, machine, dayNumber), items.length);
  const index = items.length > 1 && drawn === previousDrawn ? (drawn + 1) % items.length : drawn;
  return { item: items[index], lot: String(lotNumber) };
}

function itemDrawOn(seed: number, machine: string, dayNumber: number, itemCount: number): number {
  return hashOf('item', seed, machine, dayNumber) % itemCount;
}

/** The last day before `dayNumber` with a changeover (or the search limit). */
function lastChangeoverBefore(seed: number, machine: string, dayNumber: number): number {
  for (let day = dayNumber - 1; day > dayNumber - LOT_SEARCH_DAYS; day--) {
    if (changeoverMinuteOn(seed, machine, day) !== null) return day;
  }
  return dayNumber - LOT_SEARCH_DAYS;
}

interface PlannedSegment {
  item: string;
  lot: string;
  firstSerial: number;
  /** minute of the day the changeover to this lot starts; null for the lot running at day start */
  startsAtMinute: number | null;
}

/** Plans and simulates days of one machine; remembers how many serials each day used per lot. */
class MachineLotPlanner {
  private readonly serialsUsed = new Map<number, number[]>();

  constructor(
    private readonly machine: string,
    private readonly seed: number,
    private readonly items: readonly string[],
    private readonly paceOf: (dayNumber: number) => number = () => 1,
  ) {}

  /** The automatic plan of a day: the lot running at 00:00 (continued), and the new one if any. */
  segmentsOf(dayNumber: number, withSerials: boolean): PlannedSegment[] {
    const lastChangeoverDay = lastChangeoverBefore(this.seed, this.machine, dayNumber);
    const running = lotStartedOn(this.seed, this.machine, lastChangeoverDay, this.items);
    let firstSerial = 1;
    if (withSerials) {
      for (let day = lastChangeoverDay; day < dayNumber; day++) {
        const used = this.serialsUsedOn(day);
        // On the changeover day the lot is the day's second segment; afterwards it is the first.
        firstSerial += day === lastChangeoverDay ? (used[1] ?? 0) : used[0];
      }
    }
    const segments: PlannedSegment[] = [{ ...running, firstSerial, startsAtMinute: null }];
    const changeoverMinute = changeoverMinuteOn(this.seed, this.machine, dayNumber);
    if (changeoverMinute !== null) {
      segments.push({ ...lotStartedOn(this.seed, this.machine, dayNumber, this.items), firstSerial: 1, startsAtMinute: changeoverMinute });
    }
    return segments;
  }

  /** Records a day simulated elsewhere (its serial counts do not depend on its first serials). */
  remember(dayNumber: number, serialsUsed: number[]): void {
    this.serialsUsed.set(dayNumber, serialsUsed);
  }

  private serialsUsedOn(dayNumber: number): number[] {
    let used = this.serialsUsed.get(dayNumber);
    if (used === undefined) {
      // Serials do not influence the simulation, so the day can be counted without its own serials.
      const day = simulateDay(this.machine, this.seed, dayNumber, this.segmentsOf(dayNumber, false), null, this.paceOf(dayNumber));
      used = day.serialsUsed;
      this.serialsUsed.set(dayNumber, used);
    }
    return used;
  }
}

// ---- the day simulation --------------------------------------------------------------------

/** Days on which the camera writes "no lot" as 000000 and zero-pads serials (as on 13 Oct). */
const PADDED_STYLE_PROBABILITY = 0.25;

interface PlannedStop {
  start: number;
  end: number;
  /** index of the lot segment that starts with this stop (a changeover), or -1 */
  changeoverTo: number;
}

interface SimulatedDay {
  lines: string[];
  /** new serials issued per segment (reworks reuse old ones) */
  serialsUsed: number[];
}

function simulateDay(machine: string, seed: number, dayNumber: number, segments: PlannedSegment[], output: { date: string; cutoffLocalMs: number } | null, pace = 1): SimulatedDay {
  const random = mulberry32(hashOf('day', seed, machine, dayNumber));
  const uniform = (low: number, high: number) => low + random() * (high - low);
  const integerBetween = (low: number, high: number) => Math.floor(uniform(low, high + 1));
  const minutes = (value: number) => value * MS_PER_MINUTE;

  // Day frame and the stops planned by the clock (ms since local midnight, true time).
  const dayStart = minutes(6 * 60 + uniform(2, 13));
  const dayEnd = minutes(22 * 60 + 20 + uniform(0, 35));
  const planned: PlannedStop[] = [];
  const addStop = (start: number, durationMs: number, changeoverTo = -1) => planned.push({ start, end: start + durationMs, changeoverTo });
  if (random() < 0.8) addStop(dayStart + minutes(uniform(0.2, 4)), minutes(uniform(5, 15)));
  for (const [startMinute, lengthMinutes] of BREAKS) {
    const skip = random() < BREAK_SKIP_PROBABILITY;
    const start = minutes(startMinute + uniform(-3, 3));
    const length = minutes(lengthMinutes * uniform(0.85, 1.15));
    if (!skip) addStop(start, length);
  }
  const longStoppages = random() < 0.7 ? 1 : 2;
  for (let i = 0; i < longStoppages; i++) addStop(minutes(uniform(7 * 60, 21 * 60)), minutes(uniform(30, 45)));
  segments.forEach((segment, index) => {
    if (segment.startsAtMinute !== null) addStop(minutes(segment.startsAtMinute), minutes(uniform(35, 60)), index);
  });
  planned.sort((a, b) => a.start - b.start);

  // Clock corrections: the camera's clock is set back a few times a day; `ms` is the backwards gap logged.
  const clockSteps: { at: number; ms: number }[] = [];
  const stepCount = integerBetween(3, 6);
  for (let i = 0; i < stepCount; i++) {
    const kind = random();
    const ms = kind < 0.85 ? uniform(490, 585) : kind < 0.95 ? uniform(140, 300) : uniform(1000, 1600);
    clockSteps.push({ at: uniform(dayStart, dayEnd), ms });
  }
  clockSteps.sort((a, b) => a.at - b.at);

  const padded = mulberry32(hashOf('style', seed, machine, dayNumber))() < PADDED_STYLE_PROBABILITY;
  const noLot = padded ? '000000' : '0';
  const formatSerial = padded ? (serial: number) => String(serial).padStart(6, '0') : (serial: number) => String(serial);
  const partPrefixes = segments.map((segment) => `${segment.item},${segment.lot},`);
  const emptyPrefixes = segments.map((segment) => `${segment.item},${noLot},${noLot},0,`);
  const lines: string[] = [];
  const formatter = output === null ? null : new CameraTimestampFormatter(output.date);

  const serialsUsed = segments.map(() => 0);
  let segmentIndex = 0;
  let nextPlanned = 0;
  let nextClockStep = 0;
  let pendingClockStep = 0;
  let clockOffset = 0;
  let slowUntil = -1;
  let emptyRemaining = integerBetween(10, 60);
  let time = dayStart;
  let writing = true;

  for (;;) {
    let interval: number;
    if (time < slowUntil) {
      interval = uniform(650, 1000) * pace;
    } else {
      const mode = random();
      let modeIndex = 0;
      while (mode >= INTERVAL_MODE_CUMULATIVE[modeIndex]) modeIndex++;
      interval = (INTERVAL_MODES_MS[modeIndex] + uniform(-3, 3)) * pace;
      if (random() < SLOW_SPELL_PER_CYCLE) slowUntil = time + minutes(uniform(3, 15));
    }
    let stopped = false;
    const stopKind = random();
    if (stopKind < MICRO_STOP_PER_CYCLE) {
      interval += Math.min(1100 + exponential(random, 1800), 11_900);
      stopped = true;
    } else if (stopKind < MICRO_STOP_PER_CYCLE + SHORT_STOP_PER_CYCLE) {
      interval += Math.min(12_000 + exponential(random, 16_000), 59_900);
      stopped = true;
    } else if (stopKind < MICRO_STOP_PER_CYCLE + SHORT_STOP_PER_CYCLE + MEDIUM_STOP_PER_CYCLE) {
      interval += Math.min(60_000 + exponential(random, 35_000), 299_000);
      stopped = true;
      if (random() < 0.3) emptyRemaining = Math.max(emptyRemaining, integerBetween(1, 7));
    }
    time += interval;
    while (nextPlanned < planned.length && time >= planned[nextPlanned].start) {
      const stop = planned[nextPlanned++];
      if (stop.end > time) time = stop.end + uniform(0, 2000);
      stopped = true;
      if (stop.changeoverTo > segmentIndex) {
        segmentIndex = stop.changeoverTo;
        emptyRemaining = integerBetween(10, 40);
      }
    }
    if (time >= dayEnd) break;

    // A clock step shows only as a backwards gap between two running cycles, as in the real logs.
    while (nextClockStep < clockSteps.length && time >= clockSteps[nextClockStep].at) pendingClockStep += clockSteps[nextClockStep++].ms;
    if (pendingClockStep > 0 && !stopped) {
      // Set back by the interval plus the step, so the logged gap is exactly −step.
      clockOffset -= interval + pendingClockStep;
      pendingClockStep = 0;
    }

    let part: boolean;
    if (emptyRemaining > 0) {
      emptyRemaining--;
      part = false;
    } else {
      const pocket = random();
      part = pocket >= EMPTY_BLOCK_OF_7_PER_CYCLE + EMPTY_SINGLE_PER_CYCLE + EMPTY_PAIR_PER_CYCLE;
      if (pocket < EMPTY_BLOCK_OF_7_PER_CYCLE) emptyRemaining = 6;
      else if (pocket >= EMPTY_BLOCK_OF_7_PER_CYCLE + EMPTY_SINGLE_PER_CYCLE && !part) emptyRemaining = 1;
    }

    const segment = segments[segmentIndex];
    let serial = 0;
    if (part) {
      const madeToday = serialsUsed[segmentIndex];
      if (madeToday > 200 && random() < REWORK_PER_PART) {
        serial = segment.firstSerial + madeToday - integerBetween(100, Math.min(8000, madeToday));
      } else {
        serial = segment.firstSerial + madeToday;
        serialsUsed[segmentIndex]++;
      }
    }

    if (formatter !== null && output !== null && writing) {
      const loggedAt = Math.round(time + clockOffset);
      // A file still being written is a prefix of the day's file: stop at the first row past the cutoff.
      if (loggedAt >= output.cutoffLocalMs) writing = false;
      else lines.push(part ? `${partPrefixes[segmentIndex]}${formatSerial(serial)},1,${formatter.format(loggedAt)}` : `${emptyPrefixes[segmentIndex]}${formatter.format(loggedAt)}`);
    }
  }
  return { lines, serialsUsed };
}

function exponential(random: () => number, mean: number): number {
  return -Math.log(1 - random()) * mean;
}

/** 'SS.fff' for every millisecond of a minute, built once: formatting is most of a day's cost. */
let secondsAndMillis: string[] | null = null;

function secondsAndMillisTable(): string[] {
  if (secondsAndMillis === null) {
    secondsAndMillis = new Array<string>(MS_PER_MINUTE);
    for (let ms = 0; ms < MS_PER_MINUTE; ms++) {
      const millisecond = ms % 1000;
      secondsAndMillis[ms] = `${pad2(Math.floor(ms / 1000))}.${millisecond < 10 ? '00' : millisecond < 100 ? '0' : ''}${millisecond}`;
    }
  }
  return secondsAndMillis;
}

/** `MM/DD/YY HH:MM:SS.fff` for ms since local midnight of one date; the minute prefix is cached. */
class CameraTimestampFormatter {
  private readonly datePrefix: string;
  private readonly secondsAndMillis = secondsAndMillisTable();
  private cachedMinute = -1;
  private cachedPrefix = '';

  constructor(date: string) {
    const { year, month, day } = parseDate(date);
    this.datePrefix = `${pad2(month)}/${pad2(day)}/${pad2(year % 100)} `;
  }

  format(localMs: number): string {
    const minute = Math.floor(localMs / MS_PER_MINUTE);
    if (minute !== this.cachedMinute) {
      this.cachedMinute = minute;
      this.cachedPrefix = `${this.datePrefix}${pad2(Math.floor(minute / 60))}:${pad2(minute % 60)}:`;
    }
    return this.cachedPrefix + this.secondsAndMillis[localMs - minute * MS_PER_MINUTE];
  }
}

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

// ---- public entry points -------------------------------------------------------------------

const DIGITS = /^\d+$/;

function validateCommon(machine: string, zone: string, seed: number): void {
  if (machine.trim() === '') throw new Error('machine key must not be empty');
  assertValidZone(zone);
  if (!Number.isFinite(seed)) throw new Error(`seed must be a finite number, got ${seed}`);
}

/** ms since local midnight of `date` before which cycles are kept (Infinity = the whole day). */
function localCutoff(date: string, zone: string, until: number | undefined): number {
  if (until === undefined) return Number.POSITIVE_INFINITY;
  const local = DateTime.fromMillis(until, { zone });
  const localDate = local.toISODate();
  if (localDate === null) throw new Error(`until ${until} is not a valid instant`);
  if (localDate < date) return Number.NEGATIVE_INFINITY;
  if (localDate > date) return Number.POSITIVE_INFINITY;
  return ((local.hour * 60 + local.minute) * 60 + local.second) * 1000 + local.millisecond;
}

function checkedItems(items: readonly string[] | undefined): readonly string[] {
  if (items === undefined) return DEMO_ITEMS;
  if (items.length === 0) throw new Error('items must list at least one item number');
  for (const item of items) {
    if (!DIGITS.test(item)) throw new Error(`item '${item}' must be digits (e.g. 1330700)`);
  }
  return items;
}

function explicitSegments(lots: DemoLot[]): PlannedSegment[] {
  if (lots.length === 0) throw new Error('lots must list at least one lot');
  const segments = lots.map((lot, index): PlannedSegment => {
    if (!DIGITS.test(lot.item)) throw new Error(`lot ${index + 1}: item '${lot.item}' must be digits (e.g. 1330700)`);
    if (!DIGITS.test(lot.lot)) throw new Error(`lot ${index + 1}: lot '${lot.lot}' must be digits (e.g. 159070)`);
    const firstSerial = lot.firstSerial ?? 1;
    if (!Number.isSafeInteger(firstSerial) || firstSerial < 1) throw new Error(`lot ${lot.lot}: firstSerial must be a positive integer, got ${lot.firstSerial}`);
    let startsAtMinute: number | null = null;
    if (index > 0) {
      if (lot.startsAt === undefined) {
        startsAtMinute = Math.round(7 * 60 + (index * 14 * 60) / lots.length);
      } else {
        const match = /^(\d{1,2}):(\d{2})$/.exec(lot.startsAt);
        const minute = match === null ? Number.NaN : Number(match[1]) * 60 + Number(match[2]);
        if (!(minute >= 0 && minute < 24 * 60) || match === null || Number(match[2]) > 59) {
          throw new Error(`lot ${lot.lot}: startsAt '${lot.startsAt}' is not a time of day HH:MM`);
        }
        startsAtMinute = minute;
      }
    }
    return { item: lot.item, lot: lot.lot, firstSerial, startsAtMinute };
  });
  for (let index = 2; index < segments.length; index++) {
    const previous = segments[index - 1].startsAtMinute ?? 0;
    const current = segments[index].startsAtMinute ?? 0;
    if (current <= previous) throw new Error(`lot ${segments[index].lot}: startsAt must be later than the previous lot's (${lots[index - 1].startsAt ?? 'spread'})`);
  }
  return segments;
}

/**
 * One plant-local day of camera lines (no trailing newline on the strings), deterministic for
 * (machine, date, seed, lots). Without `lots` the machine follows its own lot plan, in which
 * lots run for days and serials continue from the day before.
 */
export function generateDay(opts: GenerateDayOptions): string[] {
  validateCommon(opts.machine, opts.zone, opts.seed);
  parseDate(opts.date);
  const dayNumber = dayNumberOf(opts.date);
  const segments = opts.lots === undefined ? new MachineLotPlanner(opts.machine, opts.seed, checkedItems(opts.items)).segmentsOf(dayNumber, true) : explicitSegments(opts.lots);
  const output = { date: opts.date, cutoffLocalMs: localCutoff(opts.date, opts.zone, opts.until) };
  return simulateDay(opts.machine, opts.seed, dayNumber, segments, output).lines;
}

/** `days` consecutive plant-local days ending with `endDate`, oldest first, with the file names the camera would use. */
export function generateDays(opts: GenerateDaysOptions): GeneratedDay[] {
  return [...iterateDays(opts)];
}

/** Same days as generateDays, made one at a time (a long range never sits in memory at once). */
export function* iterateDays(opts: GenerateDaysOptions): Generator<GeneratedDay, void, undefined> {
  validateCommon(opts.machine, opts.zone, opts.seed);
  parseDate(opts.endDate);
  if (!Number.isSafeInteger(opts.days) || opts.days < 1) throw new Error(`days must be a positive integer, got ${opts.days}`);
  const paceOf = opts.paceOf;
  const planner = new MachineLotPlanner(opts.machine, opts.seed, checkedItems(opts.items), paceOf ? (day) => paceOf(dateOfDayNumber(day)) : undefined);
  const endDay = dayNumberOf(opts.endDate);
  for (let dayNumber = endDay - opts.days + 1; dayNumber <= endDay; dayNumber++) {
    const date = dateOfDayNumber(dayNumber);
    const output = { date, cutoffLocalMs: localCutoff(date, opts.zone, opts.until) };
    const { lines, serialsUsed } = simulateDay(opts.machine, opts.seed, dayNumber, planner.segmentsOf(dayNumber, true), output, paceOf ? paceOf(date) : 1);
    planner.remember(dayNumber, serialsUsed);
    yield { date, fileName: demoFileName(date), lines };
  }
}
