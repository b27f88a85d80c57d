// Targets the gauges mark and the tables colour against. One place, so that making them
// configurable later (per site or per process group) changes only where they come from.
export interface KpiTargets {
  oee: number;
  availability: number;
  performance: number;
  quality: number;
}

/** World-class-ish targets for pouching lines, as fractions. */
export const KPI_TARGETS: Readonly<KpiTargets> = Object.freeze({
  oee: 0.65,
  availability: 0.85,
  performance: 0.85,
  quality: 0.99,
});

export type KpiKey = keyof KpiTargets;

export const KPI_LABELS: Record<KpiKey, { short: string; long: string }> = {
  oee: { short: 'OEE', long: 'Overall equipment effectiveness' },
  availability: { short: 'A', long: 'Availability' },
  performance: { short: 'P', long: 'Performance' },
  quality: { short: 'Q', long: 'Quality' },
};

/** Stops listed, charted by reason and exported: the ones an operator is asked to explain. */
export const LISTED_STOP_MIN_SECONDS = 60;

export type KpiStatus = 'good' | 'below' | 'invalid' | 'none';

/** On target, below it, impossible (outside 0–100 %: a data or profile problem), or not measurable. */
export function kpiStatus(value: number | null, target: number): KpiStatus {
  if (value === null) return 'none';
  if (value < 0 || value > 1) return 'invalid';
  return value >= target ? 'good' : 'below';
}
