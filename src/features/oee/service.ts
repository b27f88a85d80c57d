// OEE rules around the derived data: profiles (built-in + user-defined, versioned and audited),
// OEE of any minute-aligned window per machine with series per hour/shift/day/week/month, stops
// with their reasons.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Db, Executor } from '../../db/database.js';
import { Conflict, Forbidden, Invalid, NotFound, StaleVersion, type FieldError } from '../../core/errors.js';
import { DEFAULT_WORK_LIMITS, oeeWorkRefusal, type RequestWorkLimits } from '../../core/limits.js';
import { workingIntervals, type CalendarSpec } from '../../core/calendar/index.js';
import { BUILTIN_PROFILES, isBuiltinProfileName, profileDisplayName, profileLabel, type OeeProfile } from '../../core/oee/profiles.js';
import { profileSchema as coreProfileSchema } from '../../core/oee/profile-schema.js';
import { appendAudit } from '../audit/repository.js';
import type { Who } from '../audit/who.js';
import { loadCalendarSpec } from '../calendar/repository.js';
import * as plantRepo from '../plant/repository.js';
import * as machineRepo from '../machine-data/repository.js';
import * as derivedRepo from '../machine-data/derived-repository.js';
import { floorTo, MS_PER_DAY, MS_PER_HOUR } from '../../core/time.js';
import { bucketCountBound, bucketsOf, type Bucket, type GroupBy } from '../../core/oee/buckets.js';
import { computeOeeFromDerived, dayPartsOf, GapIndex, type DerivedSlice } from '../../core/oee/derived-oee.js';
import { DayFinder, daysOverlapping, openDayOf, type ProductionDayRule } from '../../core/oee/production-days.js';
import { overlapMs, windowLoading, type Interval } from '../../core/oee/oee.js';
import * as repo from './repository.js';
import * as stopReasons from '../operator-input/stop-reasons.js';
import { loadingWithout, operatorEffectsOf, scrapUnits, type OperatorEffects } from './operator-effects.js';
import type { SegmentView } from '../operator-input/stop-reasons.js';
import { AUTOMATIC_MINOR_STOP_ID } from '../../core/losses/index.js';
import { withUnitCounts } from '../../core/oee/units.js';
import { MAX_RATE_POINTS, RATE_STEP_MS, ratePointCount, rateSeries } from '../../core/oee/rate-series.js';
import {
  MIN_MAX_CYCLE_SECONDS, type RateResponse, type MachineOee, type OeeResponse, type ProfileCreate, type ProfileParams, type ProfileUpdate, type ProfileVersionView,
  type ProfileView, type Stop, type StopsResponse,
} from './schemas.js';

/** Buckets one series may have (a year by hour is 8 760: use days). */
export const MAX_BUCKETS = 5000;
export const MAX_STOPS = 10_000;

// ---- profiles ---------------------------------------------------------------------------------

function view(profile: OeeProfile, builtin: boolean, updatedAt: number | null): ProfileView {
  return {
    name: profile.name,
    version: profile.version,
    label: profileLabel(profile),
    displayName: profileDisplayName(profile.name),
    builtin,
    maxCycleSeconds: profile.maxCycleSeconds,
    stopBinsSeconds: [...profile.stopBinsSeconds],
    availabilityLossSeconds: profile.availabilityLossSeconds,
    basis: profile.basis,
    idealRatePerMinute: profile.idealRatePerMinute,
    updatedAt: updatedAt === null ? null : new Date(updatedAt).toISOString(),
  };
}

export async function listProfileViews(db: Executor): Promise<ProfileView[]> {
  const builtins = Object.values(BUILTIN_PROFILES).map((p) => view(p, true, null));
  const stored = (await repo.listProfiles(db)).map((s) => view(s.profile, false, s.updatedAt));
  return [...builtins, ...stored];
}

export async function getProfileDetail(db: Executor, name: string): Promise<ProfileView & { history: ProfileVersionView[] }> {
  if (isBuiltinProfileName(name)) {
    const profile = view(BUILTIN_PROFILES[name], true, null);
    return { ...profile, history: [{ ...profile, actor: null }] };
  }
  const stored = await repo.getProfile(db, name);
  if (!stored) throw new NotFound('OEE profile', name);
  const history = (await repo.profileHistory(db, name)).map((h) => ({ ...view(h.profile, false, h.createdAt), actor: h.actor }));
  return { ...view(stored.profile, false, stored.updatedAt), history };
}

/** Checks the core's rules (ascending bins, first bin ≤ maxCycleSeconds …) and the ≥ 1 s floor of derived data. */
function validatedProfile(name: string, version: number, params: ProfileParams): OeeProfile {
  const candidate = { name, version, ...params };
  const checked = coreProfileSchema.safeParse(candidate);
  if (!checked.success) {
    const fields = checked.error.issues.map((issue) => ({ path: ['body', ...issue.path.map(String)].join('.'), message: issue.message }));
    throw new Invalid(fields.map((f) => `${f.path}: ${f.message}`).join('; '), fields);
  }
  if (checked.data.maxCycleSeconds < MIN_MAX_CYCLE_SECONDS) throw Invalid.field('body.maxCycleSeconds', `must be at least ${MIN_MAX_CYCLE_SECONDS} s`);
  return checked.data;
}

export async function createProfile(db: Db, who: Who, input: ProfileCreate, now = Date.now()): Promise<ProfileView> {
  if (isBuiltinProfileName(input.name)) throw new Conflict(`'${input.name}' is a built-in profile; pick another name`);
  const { name, reason, ...params } = input;
  const profile = validatedProfile(name, 1, params);
  await db.transaction().execute(async (trx) => {
    if (await repo.getProfile(trx, name)) throw new Conflict(`OEE profile '${name}' already exists`);
    await repo.insertProfile(trx, profile, who.actor, now);
    await appendAudit(trx, { ...who, reason: reason ?? who.reason, entity: 'oee-profile', entityKey: name, action: 'create', before: null, after: profile }, now);
  });
  return view(profile, false, now);
}

export async function updateProfile(db: Db, who: Who, name: string, input: ProfileUpdate, now = Date.now()): Promise<ProfileView> {
  if (isBuiltinProfileName(name)) throw new Forbidden(`'${name}' is a built-in profile and read-only; create a profile of your own instead`);
  const { version, reason, ...params } = input;
  return db.transaction().execute(async (trx) => {
    const stored = await repo.getProfile(trx, name);
    if (!stored) throw new NotFound('OEE profile', name);
    if (stored.profile.version !== version) throw new StaleVersion('OEE profile', name, version, stored.profile.version);
    const profile = validatedProfile(name, version + 1, params);
    if (!(await repo.updateProfile(trx, profile, version, who.actor, now))) throw new StaleVersion('OEE profile', name, version, version + 1);
    await appendAudit(trx, { ...who, reason: reason ?? who.reason, entity: 'oee-profile', entityKey: name, action: 'update', before: stored.profile, after: profile }, now);
    return view(profile, false, now);
  });
}

/**
 * 'name' → the current version; 'name@vN' → that version from the history. `path` names the field
 * for the error.
 */
export async function resolveProfile(db: Executor, reference: string, path: string): Promise<OeeProfile> {
  const match = /^(.+)@v(\d+)$/.exec(reference);
  const name = match ? match[1] : reference;
  const version = match ? Number(match[2]) : null;
  if (isBuiltinProfileName(name)) {
    const builtin = BUILTIN_PROFILES[name];
    if (version !== null && version !== builtin.version) throw Invalid.field(path, `built-in profile ${name} has only version ${builtin.version}`);
    return builtin;
  }
  if (version !== null) {
    const old = await repo.getProfileVersion(db, name, version);
    if (!old) throw Invalid.field(path, `OEE profile '${name}' has no version ${version}`);
    return old.profile;
  }
  const stored = await repo.getProfile(db, name);
  if (!stored) {
    const known = (await listProfileViews(db)).map((p) => p.name).join(', ');
    throw Invalid.field(path, `unknown OEE profile '${name}' (known: ${known})`);
  }
  return stored.profile;
}

// ---- OEE of windows -------------------------------------------------------------------------------

/** Loads one machine's derived rows for [from, to) with minute detail for the hours the edges cut. */
/**
 * The derived rows [from, to) and its bucket edges need. With the plant zone, also the first/last
 * part of each plant-local day overlapping the window (the firstToLastPart production runs).
 */
export async function loadSlice(db: Executor, machine: string, from: number, to: number, edges: readonly number[], zone?: string): Promise<DerivedSlice> {
  const state = await machineRepo.getMachineState(db, machine);
  if (!state) return { machine, hours: [], minutes: [], gaps: new GapIndex([], 0), firstCycleAt: null, latestCycleAt: null, dayParts: zone ? [] : undefined };
  const cutHours = [from, to, ...edges].filter((edge) => edge % MS_PER_HOUR !== 0).map((edge) => floorTo(edge, MS_PER_HOUR));
  const firstWholeHour = Math.ceil(from / MS_PER_HOUR) * MS_PER_HOUR;
  const endWholeHours = floorTo(to, MS_PER_HOUR);
  // one window: let the database sum its whole hours; buckets need the hour rows themselves
  const summed = edges.length === 0 && firstWholeHour < endWholeHours;
  const [hours, hourSpan, minutes, gapDays, latestCycleAt] = await Promise.all([
    summed ? Promise.resolve([]) : derivedRepo.hourRows(db, machine, floorTo(from, MS_PER_HOUR), to),
    summed ? derivedRepo.hourTotals(db, machine, firstWholeHour, endWholeHours) : Promise.resolve(null),
    cutHours.length > 0 ? derivedRepo.minuteRowsOfHours(db, machine, cutHours) : Promise.resolve([]),
    // a stop overlapping the window ends at most maxGap after it
    derivedRepo.packedGaps(db, machine, floorTo(from, MS_PER_DAY), floorTo(to + state.maxGapMs, MS_PER_DAY)),
    derivedRepo.latestCycleAt(db, machine),
  ]);
  // SQLite answers synchronously: a turn of the event loop between the reads keeps other requests going
  await yieldToLoop();
  const slice: DerivedSlice = { machine, hours, minutes, gaps: new GapIndex(gapDays, state.maxGapMs), firstCycleAt: state.firstAt, latestCycleAt };
  if (zone) slice.dayParts = await loadDayParts(db, machine, zone, from, to);
  if (hourSpan) {
    const { leadInAtStart, ...counts } = hourSpan;
    slice.hourSpan = { from: firstWholeHour, to: endWholeHours, counts, leadInAtStart };
  }
  return slice;
}

async function loadDayParts(db: Executor, machine: string, zone: string, from: number, to: number) {
  const days = daysOverlapping(zone, from, to);
  const spanFrom = days[0].start;
  const spanTo = days[days.length - 1].end;
  const cutHours = days.flatMap((day) => [day.start, day.end]).filter((edge) => edge % MS_PER_HOUR !== 0).map((edge) => floorTo(edge, MS_PER_HOUR));
  const [hours, minutes] = await Promise.all([
    derivedRepo.hourRows(db, machine, floorTo(spanFrom, MS_PER_HOUR), spanTo),
    cutHours.length > 0 ? derivedRepo.minuteRowsOfHours(db, machine, cutHours) : Promise.resolve([]),
  ]);
  await yieldToLoop();
  return dayPartsOf(days, hours, minutes);
}

/** The firstToLastPart day rule of the plant: its zone, now, and the first shift start of today. */
export function productionDayRule(calendar: CalendarSpec, zone: string, now: number): ProductionDayRule {
  const today = new DayFinder(zone).of(now);
  const shifts = workingIntervals(calendar, zone, today.start, today.end);
  return { zone, now, openDayShiftStart: shifts.length > 0 ? shifts[0].start : null };
}

export interface OeeQuery {
  machines: string[];
  /** whole minutes, UTC ms */
  from: number;
  to: number;
  /** default: each machine's own profile */
  profile?: string;
  groupBy?: GroupBy;
}

/**
 * The field error for an OEE query over the request-work limits, from its parameters alone (no
 * database): routes call it before anything is read. Shift buckets are counted by planOee, once
 * the calendar is known.
 */
export function oeeQueryRefusal(query: OeeQuery, zone: string, limits: RequestWorkLimits): FieldError | null {
  const buckets = query.groupBy ? (bucketCountBound(query.groupBy, query.from, query.to, zone) ?? 0) : 0;
  return oeeWorkRefusal({ machines: query.machines.length, windowMs: query.to - query.from, buckets, groupBy: query.groupBy }, limits);
}

/** What an OEE answer will compute, checked: known machines and profiles, its buckets within the limits. */
export interface OeePlan {
  zone: string;
  from: number;
  to: number;
  groupBy: GroupBy | null;
  calendar: CalendarSpec;
  buckets: Bucket[];
  machines: { machine: string; profile: OeeProfile }[];
  /** operators' reasons and scrap, when the caller loaded them for every machine at once */
  effects?: Map<string, OperatorEffects>;
}

export async function planOee(db: Executor, zone: string, query: OeeQuery, limits: RequestWorkLimits = DEFAULT_WORK_LIMITS): Promise<OeePlan> {
  const early = oeeQueryRefusal(query, zone, limits);
  if (early) throw Invalid.field(early.path, early.message);
  const { from, to } = query;
  const calendar = await loadCalendarSpec(db);
  const buckets = query.groupBy ? bucketsOf(query.groupBy, from, to, zone, calendar, MAX_BUCKETS) : [];
  if (buckets === null) throw Invalid.field('query.groupBy', `more than ${MAX_BUCKETS} ${query.groupBy} buckets in the window: choose a coarser groupBy or a shorter window`);
  const counted = oeeWorkRefusal({ machines: query.machines.length, windowMs: to - from, buckets: buckets.length, groupBy: query.groupBy }, limits);
  if (counted) throw Invalid.field(counted.path, counted.message);
  const machines: OeePlan['machines'] = [];
  for (const [index, machine] of query.machines.entries()) {
    const stored = await plantRepo.getMachine(db, machine);
    if (!stored) throw Invalid.field(`query.machine`, `unknown machine '${machine}'${query.machines.length > 1 ? ` (entry ${index + 1})` : ''}`);
    machines.push({ machine, profile: await resolveProfile(db, query.profile ?? stored.oeeProfile, query.profile ? 'query.profile' : 'query.machine') });
  }
  return { zone, from, to, groupBy: query.groupBy ?? null, calendar, buckets, machines };
}

/** Buckets computed between two turns of the event loop (~a few ms): other requests are served in between. */
const BUCKETS_PER_TURN = 100;

/**
 * The machines' results one after the other, in the order asked: only one machine's derived data
 * is in memory at a time, and the event loop gets a turn between machines and every
 * BUCKETS_PER_TURN buckets, so a large answer never stalls the server.
 */
export async function* machineResults(db: Executor, plan: OeePlan, now = Date.now()): AsyncGenerator<MachineOee> {
  // operators' reasons and scrap of every machine in two queries, not two per machine
  const effects = (plan.effects ??= await operatorEffectsOf(db, plan.machines.map((m) => m.machine), plan.from, plan.to));
  for (const { machine, profile } of plan.machines) {
    await yieldToLoop();
    yield await machineOee(db, plan, machine, profile, effects.get(machine)!, now);
  }
}

export function oeeHead(plan: OeePlan): Omit<OeeResponse, 'machines'> {
  return { from: new Date(plan.from).toISOString(), to: new Date(plan.to).toISOString(), zone: plan.zone, groupBy: plan.groupBy };
}

/** The whole answer as one object (the CLI, tests, benches); the API streams it (oee-stream.ts). */
export async function machinesOee(db: Executor, zone: string, query: OeeQuery, now = Date.now(), limits: RequestWorkLimits = DEFAULT_WORK_LIMITS): Promise<OeeResponse> {
  const plan = await planOee(db, zone, query, limits);
  const machines: MachineOee[] = [];
  for await (const result of machineResults(db, plan, now)) machines.push(result);
  return { ...oeeHead(plan), machines };
}

async function machineOee(db: Executor, plan: OeePlan, machine: string, profile: OeeProfile, effects: OperatorEffects, now: number): Promise<MachineOee> {
  const { zone, calendar, from, to, buckets } = plan;
  const edges = buckets.flatMap((b) => [b.from, b.to]);
  // production days (first/last part per day) matter only to the firstToLastPart basis
  const slice = await loadSlice(db, machine, from, to, edges, profile.basis === 'firstToLastPart' ? zone : undefined);
  await yieldToLoop();
  const loadingIntervals = profile.basis === 'calendar' ? loadingWithout(workingIntervals(calendar, zone, from, to), effects) : undefined;
  const days = productionDayRule(calendar, zone, now);
  await yieldToLoop();
  const totals = withUnitCounts(computeOeeFromDerived({ slice, from, to, profile, loadingIntervals, days, rejects: scrapUnits(effects, from, to) }));
  const series: MachineOee['series'] = [];
  for (const [index, bucket] of buckets.entries()) {
    if (index > 0 && index % BUCKETS_PER_TURN === 0) await yieldToLoop();
    const rejects = scrapUnits(effects, bucket.from, bucket.to);
    series.push({ ...withUnitCounts(computeOeeFromDerived({ slice, from: bucket.from, to: bucket.to, profile, loadingIntervals, days, rejects })), label: bucket.label });
  }
  return { machine, profile: profileLabel(profile), totals, series };
}

// ---- fine rate series -------------------------------------------------------------------------------

export interface RateQuery {
  machine: string;
  from: number;
  to: number;
  rollingSeconds: number;
}

/** Rate per second with a centred rolling window and cumulative good parts, from the raw cycles. */
export async function machineRate(db: Executor, query: RateQuery, rawRetentionDays: number, now = Date.now()): Promise<RateResponse> {
  const { machine, from, to, rollingSeconds } = query;
  if (!(await plantRepo.getMachine(db, machine))) throw Invalid.field('query.machine', `unknown machine '${machine}'`);
  const points = ratePointCount(from, to);
  if (points > MAX_RATE_POINTS) {
    throw Invalid.field('query.to', `the fine rate chart shows at most ${MAX_RATE_POINTS / 3600} hours (one point per second); this window has ${Math.ceil(points / 3600)} h: zoom in to a shift or less`);
  }
  const half = Math.ceil((rollingSeconds * 1000) / 2);
  const cycles = await machineRepo.cyclesBetween(db, machine, from - half, to + half);
  const series = rateSeries(cycles, from, to, rollingSeconds);
  return {
    machine,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    rollingSeconds,
    stepSeconds: RATE_STEP_MS / 1000,
    ...series,
    rawKeptFrom: new Date(now - rawRetentionDays * MS_PER_DAY).toISOString(),
  };
}

// ---- stops -------------------------------------------------------------------------------------------

function classLabel(profile: OeeProfile, index: number): string {
  const low = profile.stopBinsSeconds[index];
  const high = profile.stopBinsSeconds[index + 1];
  return high === undefined ? `≥ ${low} s` : `${low}–${high} s`;
}

type StopWithoutReason = Omit<Stop, 'reason' | 'label' | 'category' | 'comment' | 'reasonBy' | 'automatic' | 'segments'>;

/**
 * A gap as a stop of the profile: class by its full duration, as the OEE engine classes it; counted
 * = its part inside the window's loading time, what the engine adds to stop time and availability
 * loss (without a window, e.g. a single stop: its whole duration).
 */
function toStop(machine: string, gap: { start: number; end: number }, profile: OeeProfile, window?: { from: number; to: number; loading: readonly Interval[] }): StopWithoutReason {
  const durationMs = gap.end - gap.start;
  const binsMs = profile.stopBinsSeconds.map((s) => Math.round(s * 1e6) / 1e3);
  let classIndex = 0;
  while (classIndex + 1 < binsMs.length && durationMs >= binsMs[classIndex + 1]) classIndex++;
  return {
    machine,
    start: new Date(gap.start).toISOString(),
    end: new Date(gap.end).toISOString(),
    startMs: gap.start,
    endMs: gap.end,
    seconds: durationMs / 1000,
    countedSeconds: (window ? overlapMs(gap.start, gap.end, window.loading) : durationMs) / 1000,
    startsBeforeWindow: window ? gap.start < window.from : false,
    endsAfterWindow: window ? gap.end > window.to : false,
    class: classIndex,
    classLabel: classLabel(profile, classIndex),
    availabilityLoss: durationMs >= Math.round(profile.availabilityLossSeconds * 1e6) / 1e3,
  };
}

/** The loading time of [from, to) for a machine, by the OEE engine's own rule (core windowLoading). */
async function machineLoading(db: Executor, zone: string, machine: string, profile: OeeProfile, from: number, to: number, now: number): Promise<Interval[]> {
  const calendar = await loadCalendarSpec(db);
  const openDay = openDayOf(productionDayRule(calendar, zone, now));
  if (profile.basis === 'calendar') return windowLoading({ from, to, profile, loadingIntervals: workingIntervals(calendar, zone, from, to), parts: 0, firstPartAt: Infinity, lastPartAt: -Infinity, openDay });
  const dayParts = await loadDayParts(db, machine, zone, from, to);
  return windowLoading({ from, to, profile, parts: 0, firstPartAt: Infinity, lastPartAt: -Infinity, dayParts, openDay });
}

export interface StopsQuery {
  machine: string;
  from: number;
  to: number;
  profile?: string;
  /** only stops at least this long (default: every stop, i.e. > maxCycleSeconds) */
  minSeconds?: number;
  /** only these class indexes */
  classes?: number[];
  limit?: number;
}

/**
 * The window's stops (gaps > maxCycleSeconds of the profile) with class and reason, by start: those
 * whose part inside the window's loading time is more than zero — the engine's rule, so a closed
 * night or a stop before the first shift is not listed, and each stop carries that counted part.
 */
export async function listStops(db: Executor, zone: string, query: StopsQuery, now = Date.now()): Promise<StopsResponse> {
  const stored = await plantRepo.getMachine(db, query.machine);
  if (!stored) throw Invalid.field('query.machine', `unknown machine '${query.machine}'`);
  const profile = await resolveProfile(db, query.profile ?? stored.oeeProfile, query.profile ? 'query.profile' : 'query.machine');
  const state = await machineRepo.getMachineState(db, query.machine);
  const limit = Math.min(query.limit ?? MAX_STOPS, MAX_STOPS);
  const thresholdMs = Math.max(Math.round(profile.maxCycleSeconds * 1e6) / 1e3, (query.minSeconds ?? 0) * 1000 - 1e-6);
  const wanted = query.classes && query.classes.length > 0 ? new Set(query.classes) : null;
  // fetch whole pages and filter by class and loading here; the class bins and the loading are OEE matters, not SQL's
  const rows = state ? await derivedRepo.gapRows(db, query.machine, query.from, query.to, state.maxGapMs, Math.floor(thresholdMs), MAX_STOPS * 5) : [];
  const window = { from: query.from, to: query.to, loading: rows.length > 0 ? await machineLoading(db, zone, query.machine, profile, query.from, query.to, now) : [] };
  const stops: StopWithoutReason[] = [];
  let truncated = false;
  for (const gap of rows) {
    if (!(gap.end - gap.start > thresholdMs)) continue;
    const stop = toStop(query.machine, gap, profile, window);
    if (!(stop.countedSeconds > 0)) continue;
    if (wanted && !wanted.has(stop.class)) continue;
    if (stops.length >= limit) {
      truncated = true;
      break;
    }
    stops.push(stop);
  }
  const segments = await stopReasons.segmentsOf(db, query.machine, stops.map((s) => s.startMs));
  return {
    machine: query.machine,
    profile: profileLabel(profile),
    from: new Date(query.from).toISOString(),
    to: new Date(query.to).toISOString(),
    stops: stops.map((s) => withReasons(s, segments.get(s.startMs) ?? [])),
    truncated,
  };
}

/**
 * A stop with its reasons: the first segment's reason is the stop's; a short stop (no availability
 * loss) without one has the automatic reason "minor stop", which an operator can change.
 */
function withReasons(stop: StopWithoutReason, segments: SegmentView[]): Stop {
  const first = segments[0];
  if (first) return { ...stop, reason: first.reason, label: first.label, category: first.category, comment: first.comment, reasonBy: first.by, automatic: false, segments };
  if (!stop.availabilityLoss) return { ...stop, reason: AUTOMATIC_MINOR_STOP_ID, label: 'Minor stop (automatic)', category: 'minorStop', comment: null, reasonBy: null, automatic: true, segments: [] };
  return { ...stop, reason: null, label: null, category: null, comment: null, reasonBy: null, automatic: false, segments: [] };
}

/** Records the operator's reason for a whole stop (keyed by the stop's start instant); audited. */
export async function setStopReason(db: Db, who: Who, zone: string, machine: string, start: number, input: { reason: string | null; comment?: string | null }, now = Date.now()): Promise<Stop> {
  const stored = await plantRepo.getMachine(db, machine);
  if (!stored) throw new NotFound('machine', machine);
  const profile = await resolveProfile(db, stored.oeeProfile, 'machine.oeeProfile');
  const segments = await stopReasons.setStopReasons(db, who, zone, machine, start, input.reason === null ? [] : [{ start, reason: input.reason, comment: input.comment ?? null }], now, 'body');
  const gap = await derivedRepo.gapExists(db, machine, start);
  if (!gap) throw new NotFound('stop', `${machine}@${new Date(start).toISOString()}`);
  return withReasons(toStop(machine, gap, profile), segments);
}
