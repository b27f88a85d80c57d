// The loss model of a window (issue 13 item 4, DESIGN §4): the OEE engine's figures split by what
// operators said — calendar time → not scheduled → planned downtime → loading → availability
// losses by category → operating time → minor stops, reduced speed → net operating → startup and
// production rejects → fully productive time; the six big losses, a two-level Pareto (category,
// then reason), TEEP and labour utilisation. The waterfall is built from the engine's own result,
// so its A, P, Q and OEE are the ones /api/oee shows for the same window and profile.
//
// Decisions:
// - A stop part counts under its reason's category; a stop the engine counts as availability loss
//   with no reason is "Unplanned downtime — no reason given"; short stops (below the profile's
//   availability threshold) are the minor stops of the performance block, whatever reason they got.
// - On the calendar basis, not scheduled = calendar time − loading − planned downtime (time outside
//   the shifts, and stop parts given a not-scheduled reason); on the firstToLastPart basis (legacy)
//   everything outside the day runs is "not scheduled" and planned stops inside them stay losses.
// - Labour: producing crew hours = Σ over the shifts with a crew of (paid hours of the shift ×
//   operating time / planned time of that shift) — the share of the paid time the line ran.
// - A long stop nobody gave a reason that ends where the machine starts a new lot is a changeover
//   (setup): "Lot change (automatic)" (core/losses/lot-change.ts), not "no reason given".
import type { Executor } from '../../db/database.js';
import { workingIntervals } from '../../core/calendar/index.js';
import { normalizeIntervals, overlapMs, type Interval } from '../../core/oee/oee.js';
import { isNoLot, LOT_START_TOLERANCE_MS, LOSS_LABELS, lossKindOf, pareto, stopsAtLotChange, waterfall, type LossCategory, type WaterfallInput } from '../../core/losses/index.js';
import * as machineRepo from '../machine-data/repository.js';
import * as derivedRepo from '../machine-data/derived-repository.js';
import * as inputRepo from '../operator-input/repository.js';
import { loadingWithout, operatorEffectsOf } from './operator-effects.js';
import { machineResults, machinesOee, planOee, type OeeQuery } from './service.js';
import { floorTo, MS_PER_DAY, MS_PER_MINUTE } from '../../core/time.js';
import type { LossesResponse } from './loss-schemas.js';
import { profileLabel } from '../../core/oee/profiles.js';

interface MachineInput {
  waterfall: WaterfallInput;
  paretoEntries: { category: LossCategory; reasonId: string | null; label: string; seconds: number; count: number }[];
}

const round = (value: number, decimals = 3) => Math.round(value * 10 ** decimals) / 10 ** decimals;

export interface LossOptions {
  /** stops shorter than this are not asked about: their automatic reason is "minor stop" (QMFG_REASON_PROMPT_SECONDS) */
  promptSeconds: number;
}

export async function lossesOf(db: Executor, zone: string, query: Omit<OeeQuery, 'groupBy'>, now = Date.now(), options: LossOptions = { promptSeconds: 60 }): Promise<LossesResponse> {
  const plan = await planOee(db, zone, { ...query, groupBy: undefined });
  plan.effects = await operatorEffectsOf(db, query.machines, plan.from, plan.to);
  const end = Math.min(plan.to, Math.max(plan.from, now));
  const working = normalizeIntervals(workingIntervals(plan.calendar, zone, plan.from, end), plan.from, end);
  const crew = await inputRepo.crewBetween(db, query.machines, plan.from, plan.to);
  const machines: LossesResponse['machines'] = [];
  const inputs: MachineInput[] = [];
  let index = 0;
  for await (const result of machineResults(db, plan, now)) {
    const { profile } = plan.machines[index++];
    const totals = result.totals;
    const effects = plan.effects.get(result.machine)!;
    const loading = profile.basis === 'calendar' ? loadingWithout(working, effects) : [{ start: plan.from, end }];
    const { segments, scrapRows: scrap } = effects;
    const thresholdMs = profile.availabilityLossSeconds * 1000;

    const availability = new Map<LossCategory, number>();
    const reasons = new Map<string, MachineInput['paretoEntries'][number] & { stops: Set<number> }>();
    let plannedMs = 0;
    let assignedAvailabilityMs = 0;
    let shortAssignedMs = 0;
    // stops up to this long are not asked about (their automatic reason is minor stop)
    const promptedAbove = Math.max(profile.availabilityLossSeconds, options.promptSeconds);
    for (let i = 0; i < segments.length; i++) {
      const s = segments[i];
      const segmentEnd = inputRepo.segmentEnd(segments, i);
      const category = (s.category as LossCategory | null) ?? 'breakdown';
      const inWindow = overlapMs(s.segmentStart, segmentEnd, [{ start: plan.from, end }]);
      if (inWindow <= 0) continue;
      const key = `${category}\u0000${s.reasonId ?? ''}\u0000${s.label ?? ''}`;
      const entry = reasons.get(key) ?? { category, reasonId: s.reasonId, label: s.label ?? s.reasonId ?? 'reason', seconds: 0, count: 0, stops: new Set<number>() };
      entry.seconds += inWindow / 1000;
      entry.stops.add(s.stopStart);
      reasons.set(key, entry);
      if (lossKindOf(category) === 'excluded') {
        if (category === 'plannedDowntime' && profile.basis === 'calendar') plannedMs += overlapMs(s.segmentStart, segmentEnd, working);
        if (profile.basis === 'calendar') continue;
      }
      // an availability loss: the part of a long stop inside loading
      if (s.stopEnd - s.stopStart >= thresholdMs) {
        const counted = overlapMs(s.segmentStart, segmentEnd, loading as Interval[]);
        availability.set(category, (availability.get(category) ?? 0) + counted);
        assignedAvailabilityMs += counted;
        if (s.stopEnd - s.stopStart <= promptedAbove * 1000) shortAssignedMs += counted;
      }
    }
    // availability loss nobody gave a reason for: stops shorter than the operator is asked about are
    // minor stops by their automatic reason (all of them on ISO 22400, where every stop is downtime),
    // the longer ones are unplanned downtime with no reason given
    const shortClasses = totals.stops.classes.filter((c) => c.minSeconds >= profile.availabilityLossSeconds && c.maxSeconds !== null && c.maxSeconds <= promptedAbove);
    const shortAvailabilityMs = shortClasses.reduce((sum, c) => sum + c.seconds * 1000, 0);
    const unassignedMs = Math.max(0, totals.availabilityLossSeconds * 1000 - assignedAvailabilityMs);
    const automaticMinorMs = Math.min(unassignedMs, Math.max(0, shortAvailabilityMs - shortAssignedMs));
    const lotChange = await automaticLotChanges(db, result.machine, plan.from, end, {
      minMs: Math.max(thresholdMs, promptedAbove * 1000),
      reasoned: new Set(segments.map((s) => s.stopStart)),
      loading: loading as Interval[],
    });
    const lotChangeMs = Math.min(lotChange.ms, unassignedMs - automaticMinorMs);
    const noReasonMs = unassignedMs - automaticMinorMs - lotChangeMs;
    if (automaticMinorMs > 0) availability.set('minorStop', (availability.get('minorStop') ?? 0) + automaticMinorMs);
    if (lotChangeMs > 0) availability.set('setup', (availability.get('setup') ?? 0) + lotChangeMs);
    const availabilityLosses = [...availability].map(([category, ms]) => ({ category, seconds: ms / 1000 }));
    if (noReasonMs > 0) availabilityLosses.push({ category: 'breakdown', seconds: noReasonMs / 1000 });
    const shortStopSeconds = Math.max(0, totals.stops.seconds - totals.availabilityLossSeconds);
    const shortStopCount = totals.stops.classes.filter((c) => c.maxSeconds !== null && c.maxSeconds <= profile.availabilityLossSeconds).reduce((sum, c) => sum + c.count, 0);

    const rejectsOf = (category: LossCategory) => scrap.filter((s) => s.category === category).reduce((sum, s) => sum + s.quantity + s.rework, 0);
    const calendarSeconds = (end - plan.from) / 1000;
    const plannedSeconds = plannedMs / 1000;
    const machineCrew = crew.filter((c) => c.machine === result.machine);
    const paid = machineCrew.reduce((sum, c) => sum + c.hours, 0);
    const producing = paid > 0 ? await producingHours(db, zone, result.machine, profile.name, machineCrew, now) : 0;
    const input: WaterfallInput = {
      calendarSeconds,
      notScheduledSeconds: Math.max(0, calendarSeconds - totals.loadingSeconds - plannedSeconds),
      plannedDowntimeSeconds: plannedSeconds,
      loadingSeconds: totals.loadingSeconds,
      availabilityLosses,
      operatingSeconds: totals.netRunSeconds,
      shortStopSeconds,
      parts: totals.parts,
      good: totals.good,
      startupRejects: rejectsOf('startupReject'),
      productionRejects: rejectsOf('productionReject'),
      reworks: totals.reworks,
      idealRatePerMinute: profile.idealRatePerMinute,
      crew: paid > 0 ? { paidHours: paid, producingHours: producing } : undefined,
    };
    const entries = [...reasons.values()].map(({ stops, ...entry }) => ({ ...entry, count: stops.size }));
    if (shortStopSeconds > 0) entries.push({ category: 'minorStop', reasonId: null, label: 'Minor stops (automatic)', seconds: shortStopSeconds, count: shortStopCount });
    if (automaticMinorMs > 0) {
      const count = shortClasses.reduce((sum, c) => sum + c.count, 0);
      entries.push({ category: 'minorStop', reasonId: null, label: 'Minor stops (automatic)', seconds: automaticMinorMs / 1000, count });
    }
    if (lotChangeMs > 0) entries.push({ category: 'setup', reasonId: null, label: 'Lot change (automatic)', seconds: lotChangeMs / 1000, count: lotChange.count });
    if (noReasonMs > 0) entries.push({ category: 'breakdown', reasonId: null, label: 'No reason given', seconds: noReasonMs / 1000, count: 0 });
    for (const category of ['startupReject', 'productionReject'] as const) {
      for (const s of scrap.filter((x) => x.category === category)) {
        const units = s.quantity + s.rework;
        const existing = entries.find((e) => e.category === category && e.reasonId === s.reasonId);
        const seconds = (units / profile.idealRatePerMinute) * 60;
        if (existing) {
          existing.seconds += seconds;
          existing.count += 1;
        } else entries.push({ category, reasonId: s.reasonId, label: s.label, seconds, count: 1 });
      }
    }
    inputs.push({ waterfall: input, paretoEntries: entries });
    machines.push({ machine: result.machine, profile: profileLabel(profile), ...summary(input, entries) });
  }
  return { from: new Date(plan.from).toISOString(), to: new Date(plan.to).toISOString(), machines, total: summary(sumInputs(inputs.map((i) => i.waterfall)), inputs.flatMap((i) => i.paretoEntries)) };
}

/** Paid crew hours × the operating share of their own shift, summed (one OEE per crewed shift). */
/**
 * The long stops without a reason that end at a lot change, and their part in loading time. The
 * machine's lots come first (a few rows); only where a new lot starts are the stops before it read,
 * so a month of a machine costs a query per lot change, not a scan of every stop.
 */
async function automaticLotChanges(
  db: Executor,
  machine: string,
  from: number,
  to: number,
  options: { minMs: number; reasoned: ReadonlySet<number>; loading: Interval[] },
): Promise<{ ms: number; count: number }> {
  if (!(to > from)) return { ms: 0, count: 0 };
  const lots = await derivedRepo.listLotCounts(db, [machine], from - MS_PER_DAY, to + LOT_START_TOLERANCE_MS);
  const real = lots.filter((lot) => !isNoLot(lot.lot));
  const newLots = real.filter((lot) => lot.firstAt > from && lot.firstAt <= to + LOT_START_TOLERANCE_MS && real.some((other) => other.lot !== lot.lot && other.firstAt < lot.firstAt));
  if (newLots.length === 0) return { ms: 0, count: 0 };
  const state = await machineRepo.getMachineState(db, machine);
  if (!state) return { ms: 0, count: 0 };
  const gaps: { start: number; end: number }[] = [];
  for (const lot of newLots) {
    const before = await derivedRepo.gapRows(db, machine, lot.firstAt - LOT_START_TOLERANCE_MS, lot.firstAt + 1, state.maxGapMs, Math.floor(options.minMs), 5);
    for (const gap of before) if (!options.reasoned.has(gap.start) && gap.end <= to && !gaps.some((g) => g.start === gap.start)) gaps.push(gap);
  }
  let ms = 0;
  let count = 0;
  for (const gap of stopsAtLotChange(gaps, lots)) {
    const counted = overlapMs(gap.start, gap.end, options.loading);
    if (counted <= 0) continue;
    ms += counted;
    count += 1;
  }
  return { ms, count };
}

async function producingHours(db: Executor, zone: string, machine: string, profile: string, crew: readonly { shiftStart: number; hours: number }[], now: number): Promise<number> {
  const paidByShift = new Map<number, number>();
  for (const c of crew) paidByShift.set(c.shiftStart, (paidByShift.get(c.shiftStart) ?? 0) + c.hours);
  const starts = [...paidByShift.keys()].sort((a, b) => a - b);
  const from = floorTo(starts[0], MS_PER_MINUTE);
  const to = Math.min(now, starts[starts.length - 1] + MS_PER_DAY);
  if (!(to > from)) return 0;
  const shifts = (await machinesOee(db, zone, { machines: [machine], from, to: floorTo(to, MS_PER_MINUTE) + MS_PER_MINUTE, profile, groupBy: 'shift' }, now)).machines[0].series;
  let producing = 0;
  for (const [start, hours] of paidByShift) {
    const shift = shifts.find((b) => Date.parse(b.from) === start);
    if (!shift || !(shift.loadingSeconds > 0)) continue;
    const plannedSeconds = (Date.parse(shift.to) - Date.parse(shift.from)) / 1000;
    producing += (hours * shift.netRunSeconds) / plannedSeconds;
  }
  return producing;
}

function summary(input: WaterfallInput, entries: MachineInput['paretoEntries']) {
  const result = waterfall(input);
  return {
    steps: result.steps.map((s) => ({ key: s.key, label: s.label, kind: s.kind, category: s.category ?? null, seconds: round(s.seconds) })),
    sixBigLosses: Object.fromEntries(Object.entries(result.sixBigLosses).map(([k, v]) => [k, round(v as number)])),
    availability: result.availability,
    performance: result.performance,
    quality: result.quality,
    oee: result.oee,
    utilisation: result.utilisation,
    teep: result.teep,
    paidCrewHours: round(input.crew?.paidHours ?? 0, 2),
    producingCrewHours: round(input.crew?.producingHours ?? 0, 2),
    labourUtilisation: result.labourUtilisation,
    pareto: pareto(entries).map((c) => ({
      category: c.category, label: c.label ?? LOSS_LABELS[c.category], seconds: round(c.seconds), count: c.count, share: c.share, cumulativeShare: c.cumulativeShare,
      reasons: c.reasons.map((r) => ({ reason: r.reasonId, label: r.label, seconds: round(r.seconds), count: r.count, share: r.share, cumulativeShare: r.cumulativeShare })),
    })),
  };
}

/** The machines together: times and counts add up; the ideal rate is the one that keeps Σ parts / ideal. */
function sumInputs(inputs: WaterfallInput[]): WaterfallInput {
  const sum = (pick: (i: WaterfallInput) => number) => inputs.reduce((total, i) => total + pick(i), 0);
  const byCategory = new Map<LossCategory, number>();
  for (const i of inputs) for (const l of i.availabilityLosses) byCategory.set(l.category, (byCategory.get(l.category) ?? 0) + l.seconds);
  const idealSeconds = sum((i) => (i.idealRatePerMinute > 0 ? (i.parts / i.idealRatePerMinute) * 60 : 0));
  const parts = sum((i) => i.parts);
  const paid = sum((i) => i.crew?.paidHours ?? 0);
  return {
    calendarSeconds: sum((i) => i.calendarSeconds),
    notScheduledSeconds: sum((i) => i.notScheduledSeconds),
    plannedDowntimeSeconds: sum((i) => i.plannedDowntimeSeconds),
    loadingSeconds: sum((i) => i.loadingSeconds),
    availabilityLosses: [...byCategory].map(([category, seconds]) => ({ category, seconds })),
    operatingSeconds: sum((i) => i.operatingSeconds),
    shortStopSeconds: sum((i) => i.shortStopSeconds),
    parts,
    good: sum((i) => i.good),
    startupRejects: sum((i) => i.startupRejects),
    productionRejects: sum((i) => i.productionRejects),
    reworks: sum((i) => i.reworks),
    idealRatePerMinute: idealSeconds > 0 ? (parts / idealSeconds) * 60 : (inputs[0]?.idealRatePerMinute ?? 1),
    crew: paid > 0 ? { paidHours: paid, producingHours: sum((i) => i.crew?.producingHours ?? 0) } : undefined,
  };
}
