// The loss waterfall of a window (DESIGN §4): from calendar time down to fully productive time, each
// step a loss of one category, and the six big losses, TEEP and labour utilisation with it. Pure:
// the caller (features/oee/losses.ts) gives the engine's figures split by the operators' reasons.
//
//   calendar time
//   − not scheduled − planned downtime          (outside loading on the calendar basis)
//   = loading time
//   − availability losses by category           (stops the profile counts as availability loss)
//   = operating time                             (the engine's net run time)
//   − minor stops (short stops' time) − reduced speed (the rest of the speed loss)
//   = net operating time = parts / ideal rate
//   − startup rejects − production rejects and reworks   (units / ideal rate)
//   = fully productive time = good / ideal rate
//
// So A = operating / loading, P = net operating / operating, Q = fully productive / net operating =
// good / parts: the engine's own A, P, Q. Reduced speed is negative when the line ran faster than
// its ideal rate (P > 100 %); it is kept as it is, so the steps still add up.
import { LOSS_LABELS, type LossCategory } from './categories.js';

export interface WaterfallInput {
  calendarSeconds: number;
  notScheduledSeconds: number;
  plannedDowntimeSeconds: number;
  loadingSeconds: number;
  availabilityLosses: { category: LossCategory; seconds: number }[];
  operatingSeconds: number;
  shortStopSeconds: number;
  parts: number;
  good: number;
  /** units (scrap + reported rework) of startup-reject reasons */
  startupRejects: number;
  /** units of production-reject reasons */
  productionRejects: number;
  /** the camera's reworks */
  reworks: number;
  idealRatePerMinute: number;
  crew?: { paidHours: number; producingHours: number };
}

export interface WaterfallStep {
  key: string;
  label: string;
  kind: 'total' | 'loss';
  category?: LossCategory;
  seconds: number;
}

export type BigLoss = 'breakdown' | 'setup' | 'minorStop' | 'reducedSpeed' | 'startupReject' | 'productionReject';

export interface Waterfall {
  steps: WaterfallStep[];
  sixBigLosses: Record<BigLoss, number>;
  availability: number | null;
  performance: number | null;
  quality: number | null;
  oee: number | null;
  utilisation: number | null;
  teep: number | null;
  labourUtilisation: number | null;
}

const ratio = (a: number, b: number): number | null => (b > 0 ? Math.round((a / b) * 1e4) / 1e4 : null);
const AVAILABILITY_ORDER: LossCategory[] = ['breakdown', 'setup', 'minorStop', 'reducedSpeed', 'plannedDowntime', 'notScheduled', 'startupReject', 'productionReject'];

export function waterfall(input: WaterfallInput): Waterfall {
  const perUnit = input.idealRatePerMinute > 0 ? 60 / input.idealRatePerMinute : 0;
  const netOperating = input.parts * perUnit;
  // quality: production rejects carry everything that is not good and not a startup reject (camera reworks included)
  const startup = Math.min(input.startupRejects, Math.max(0, input.parts - input.good));
  const production = Math.max(0, input.parts - input.good - startup);
  const fullyProductive = input.good * perUnit;
  const byCategory = new Map<LossCategory, number>();
  for (const loss of input.availabilityLosses) byCategory.set(loss.category, (byCategory.get(loss.category) ?? 0) + loss.seconds);
  const availabilitySteps: WaterfallStep[] = AVAILABILITY_ORDER.filter((c) => (byCategory.get(c) ?? 0) > 0).map((category) => ({
    key: `availability-${category}`, label: LOSS_LABELS[category], kind: 'loss', category, seconds: byCategory.get(category)!,
  }));
  const reducedSpeed = input.operatingSeconds - input.shortStopSeconds - netOperating;
  const steps: WaterfallStep[] = [
    { key: 'calendar', label: 'Calendar time', kind: 'total', seconds: input.calendarSeconds },
    { key: 'not-scheduled', label: LOSS_LABELS.notScheduled, kind: 'loss', category: 'notScheduled', seconds: input.notScheduledSeconds },
    { key: 'planned-downtime', label: LOSS_LABELS.plannedDowntime, kind: 'loss', category: 'plannedDowntime', seconds: input.plannedDowntimeSeconds },
    { key: 'loading', label: 'Loading time', kind: 'total', seconds: input.loadingSeconds },
    ...availabilitySteps,
    { key: 'operating', label: 'Operating time', kind: 'total', seconds: input.operatingSeconds },
    { key: 'minor-stops', label: 'Minor stops', kind: 'loss', category: 'minorStop', seconds: input.shortStopSeconds },
    { key: 'reduced-speed', label: LOSS_LABELS.reducedSpeed, kind: 'loss', category: 'reducedSpeed', seconds: reducedSpeed },
    { key: 'net-operating', label: 'Net operating time', kind: 'total', seconds: netOperating },
    { key: 'startup-rejects', label: 'Startup rejects', kind: 'loss', category: 'startupReject', seconds: startup * perUnit },
    { key: 'production-rejects', label: 'Production rejects and rework', kind: 'loss', category: 'productionReject', seconds: production * perUnit },
    { key: 'fully-productive', label: 'Fully productive time', kind: 'total', seconds: fullyProductive },
  ];
  const availability = ratio(input.operatingSeconds, input.loadingSeconds);
  const performance = ratio(netOperating, input.operatingSeconds);
  const quality = ratio(input.good, input.parts);
  const oee = ratio(fullyProductive, input.loadingSeconds);
  const utilisation = ratio(input.loadingSeconds, input.calendarSeconds);
  return {
    steps,
    sixBigLosses: {
      breakdown: byCategory.get('breakdown') ?? 0,
      setup: byCategory.get('setup') ?? 0,
      minorStop: input.shortStopSeconds + (byCategory.get('minorStop') ?? 0),
      reducedSpeed: reducedSpeed + (byCategory.get('reducedSpeed') ?? 0),
      startupReject: startup * perUnit,
      productionReject: production * perUnit,
    },
    availability,
    performance,
    quality,
    oee,
    utilisation,
    teep: ratio(fullyProductive, input.calendarSeconds),
    labourUtilisation: input.crew ? ratio(input.crew.producingHours, input.crew.paidHours) : null,
  };
}

export interface ParetoEntry {
  category: LossCategory;
  reasonId: string | null;
  label: string;
  seconds: number;
  count: number;
}

export interface ParetoReason extends ParetoEntry {
  share: number | null;
  cumulativeShare: number | null;
}

export interface ParetoCategory {
  category: LossCategory;
  label: string;
  seconds: number;
  count: number;
  share: number | null;
  cumulativeShare: number | null;
  reasons: ParetoReason[];
}

function withShares<T extends { seconds: number }>(items: T[]): (T & { share: number | null; cumulativeShare: number | null })[] {
  const sorted = [...items].sort((a, b) => b.seconds - a.seconds);
  const total = sorted.reduce((sum, i) => sum + Math.max(0, i.seconds), 0);
  let cumulative = 0;
  return sorted.map((item) => {
    cumulative += Math.max(0, item.seconds);
    return { ...item, share: ratio(Math.max(0, item.seconds), total), cumulativeShare: ratio(cumulative, total) };
  });
}

/** Two levels: categories by time, each with its reasons by time; shares of the level's total. */
export function pareto(entries: readonly ParetoEntry[]): ParetoCategory[] {
  const byCategory = new Map<LossCategory, Map<string, ParetoEntry>>();
  for (const entry of entries) {
    const reasons = byCategory.get(entry.category) ?? new Map<string, ParetoEntry>();
    const key = `${entry.reasonId ?? ''}\u0000${entry.label}`;
    const existing = reasons.get(key);
    if (existing) {
      existing.seconds += entry.seconds;
      existing.count += entry.count;
    } else reasons.set(key, { ...entry });
    byCategory.set(entry.category, reasons);
  }
  const categories = [...byCategory].map(([category, reasons]) => {
    const list = [...reasons.values()];
    return { category, label: LOSS_LABELS[category], seconds: list.reduce((s, r) => s + r.seconds, 0), count: list.reduce((s, r) => s + r.count, 0), reasons: withShares(list) };
  });
  return withShares(categories);
}
