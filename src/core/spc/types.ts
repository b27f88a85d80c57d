// Shapes shared by the SPC functions (see index.ts for the whole API).

/** One reading of a channel: `at` is UTC ms, samples are passed in non-decreasing `at` order. */
export interface Sample {
  at: number;
  value: number;
}

/** One minute of a fast channel, as the measurement tables store it: `minute` is the minute's start (UTC ms). */
export interface MinuteSummary {
  minute: number;
  n: number;
  sum: number;
  sumSq: number;
  min: number;
  max: number;
}

/** A rational subgroup: the samples plotted as one chart point. */
export interface Subgroup {
  /** position in the list of subgroups (usable or not) */
  index: number;
  /** instant of the first and last sample (for minute summaries: first minute's start, last minute's end) */
  from: number;
  to: number;
  n: number;
  mean: number;
  /** sample standard deviation (n − 1); 0 when n < 2 */
  sd: number;
  range: number;
  min: number;
  max: number;
  /** false when the subgroup has fewer samples than asked for: it is shown as flagged, never plotted or used for limits */
  usable: boolean;
  /** why it is not usable, a sentence; null when usable */
  reason: string | null;
  /** a gap precedes this subgroup: moving ranges, EWMA and run rules start afresh here */
  afterGap: boolean;
}

export type SigmaMethod = 'rbar-d2' | 'sbar-c4' | 'mrbar-d2';

/**
 * Control limits estimated from a baseline period. The feature stores them frozen and versioned;
 * every chart derives its per-point limits from `centre`, `sigma` and each point's n.
 */
export interface ControlLimits {
  /** process mean: n-weighted grand mean of the baseline */
  centre: number;
  /** within-subgroup (short-term) σ̂ of one sample */
  sigma: number;
  sigmaMethod: SigmaMethod;
  /** the most frequent n of the baseline's usable subgroups (1 for individuals) */
  subgroupSize: number;
  /** baseline subgroups used for the estimate */
  subgroups: number;
  /** baseline subgroups left out: too small, or beyond the preliminary limits when revised */
  excludedSubgroups: number;
  /** approximate degrees of freedom of σ̂ (for capability confidence intervals) */
  degreesOfFreedom: number;
  /** first and last instant of the baseline */
  from: number;
  to: number;
}

export type ChartKind = 'xbar' | 'range' | 'sd' | 'individuals' | 'moving-range' | 'ewma';

export interface ChartPoint {
  /** the subgroup's index (Subgroup.index) this point plots */
  subgroup: number;
  /** the subgroup's first instant */
  at: number;
  n: number;
  value: number;
  centre: number;
  lcl: number;
  ucl: number;
  afterGap: boolean;
  /** value above ucl or below lcl */
  outside: boolean;
}

export interface Chart {
  kind: ChartKind;
  /** centre line for the nominal subgroup size (per-point centres differ only for R/S with varying n) */
  centre: number;
  points: ChartPoint[];
  /** subgroups not plotted (too small), with the reason: the UI shows them as flagged */
  skipped: { subgroup: number; at: number; reason: string }[];
}
