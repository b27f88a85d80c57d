// The loss categories of the loss model (DESIGN §4): every reason of the tree maps to one, and the
// category decides where its time or units go in the waterfall from calendar time to fully
// productive time — the six big losses of TPM plus the two kinds of time that are not loading.
export const LOSS_CATEGORIES = ['notScheduled', 'plannedDowntime', 'setup', 'breakdown', 'minorStop', 'reducedSpeed', 'startupReject', 'productionReject'] as const;
export type LossCategory = (typeof LOSS_CATEGORIES)[number];

/** Where a category's loss sits: outside loading, or in availability, performance or quality. */
export type LossKind = 'excluded' | 'availability' | 'performance' | 'quality';

export const LOSS_LABELS: Readonly<Record<LossCategory, string>> = Object.freeze({
  notScheduled: 'Not scheduled',
  plannedDowntime: 'Planned downtime',
  setup: 'Setup / changeover',
  breakdown: 'Unplanned downtime (breakdown)',
  minorStop: 'Minor stop',
  reducedSpeed: 'Reduced speed',
  startupReject: 'Startup reject',
  productionReject: 'Production reject',
});

const KINDS: Readonly<Record<LossCategory, LossKind>> = Object.freeze({
  notScheduled: 'excluded',
  plannedDowntime: 'excluded',
  setup: 'availability',
  breakdown: 'availability',
  minorStop: 'performance',
  reducedSpeed: 'performance',
  startupReject: 'quality',
  productionReject: 'quality',
});

export function isLossCategory(value: unknown): value is LossCategory {
  return typeof value === 'string' && (LOSS_CATEGORIES as readonly string[]).includes(value);
}

export function lossKindOf(category: LossCategory): LossKind {
  return KINDS[category];
}

/** A reason for a stop: every category but the two quality ones. */
export function isStopCategory(category: LossCategory | undefined | null): boolean {
  return Boolean(category) && KINDS[category as LossCategory] !== 'quality';
}

/** A reason for scrap: the two quality categories. */
export function isScrapCategory(category: LossCategory | undefined | null): boolean {
  return Boolean(category) && KINDS[category as LossCategory] === 'quality';
}
