// What a real iTrak line does, as numbers: the calibration shared by the file generator
// (generate.ts) and the live simulator (core/simulation). Measured on the eight real line-days in
// ../shared/data/sensors (see generate.ts's header for the measurements).

/** Running cycle intervals (ms) and how often each occurs: the clusters seen in the real logs. */
export const INTERVAL_MODES_MS: readonly number[] = [420, 432, 455, 468, 504];
export const INTERVAL_MODE_CUMULATIVE: readonly number[] = [0.1, 0.35, 0.6, 0.85, 1];
/** The plant's breaks: [start minute of day, minutes]. */
export const BREAKS: readonly (readonly [number, number])[] = [
  [8 * 60, 15],
  [10 * 60 + 30, 31],
  [13 * 60, 15],
  [14 * 60 + 20, 10],
  [17 * 60, 17],
  [19 * 60, 32],
  [21 * 60 + 14, 15],
];
/** Chance that a break is not taken on a day. */
export const BREAK_SKIP_PROBABILITY = 0.2;
// Per-cycle chances (one cycle ≈ 0.46 s; ≈ 80 000 cycles in a full day).
export const MICRO_STOP_PER_CYCLE = 0.0014; // ≈ 110 a day, 1.1–12 s
export const SHORT_STOP_PER_CYCLE = 0.0032; // ≈ 260 a day, 12–60 s
export const MEDIUM_STOP_PER_CYCLE = 0.00027; // ≈ 22 a day, 1–5 min
export const SLOW_SPELL_PER_CYCLE = 0.00002; // ≈ 1.6 a day, 3–15 min at 650–1000 ms a cycle
export const EMPTY_BLOCK_OF_7_PER_CYCLE = 0.005;
export const EMPTY_SINGLE_PER_CYCLE = 0.0035;
export const EMPTY_PAIR_PER_CYCLE = 0.0008;
export const REWORK_PER_PART = 0.0008;
/** Long stoppages drawn per cycle by the live simulator (the file generator plans one or two a day). */
export const LONG_STOP_PER_CYCLE = 0.000016;
