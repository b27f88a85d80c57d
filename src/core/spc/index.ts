// Statistical process control (issue 14 item 3): pure functions, no I/O, no clock.
//
// INPUT  Sample {at (UTC ms), value}, in non-decreasing `at` order — or, for fast channels, one
//        MinuteSummary {minute (UTC ms of the minute's start), n, sum, sumSq, min, max} per minute.
//
// THE USUAL PATH (analyze.ts)
//   1. Baseline → frozen limits (the feature stores the result, versioned):
//        baselineFromSamples(samples, {chart: 'xbar-s', subgroup: {by: 'count', size: 5}}) → ControlLimits & {findings}
//        baselineFromMinutes(minutes, {chart: 'xbar-s', minutes: 5})
//      σ̂ is within-subgroup: R̄/d2 (xbar-r), S̄/c4 (xbar-s, and ewma with subgroups), MR̄/d2 (i-mr, ewma
//      of single readings). Spikes and stuck runs are left out, flagged subgroups never count, and the
//      subgroups beyond the preliminary limits are dropped once (Phase I revision; `limits.revise`).
//      Fewer than 20 usable subgroups → Invalid ("the baseline has 12 usable subgroups …").
//   2. Monitoring with frozen limits:
//        chartSamples(samples, limits, {chart, subgroup, rules: 'western-electric' | 'nelson' | RuleId[]})
//        chartMinutes(minutes, limits, {chart, minutes: 5, rules})
//      → {findings, subgroups, location, dispersion, violations: {location, dispersion}}
//      Chart = {kind, centre, points: [{subgroup, at, n, value, centre, lcl, ucl, afterGap, outside}],
//      skipped: [{subgroup, at, reason}]}; limits are per point (they follow n; the EWMA's widen to
//      their asymptote). Violation = {rule, ruleName, direction, indices, instants, signalIndex, message}.
//   3. Capability and histogram of the readings against the spec:
//        capability({values, spec: {lsl, usl, target}, limits}) → Cp, Cpk, Pp, Ppk with intervals (or null + reasons)
//        histogram(values, spec) → Freedman–Diaconis (or Sturges) bins, LSL/USL/target markers, counts outside
//
// BUILDING BLOCKS (for other compositions)
//   subgroups.ts  subgroupSamples (by count | by time), subgroupMinutes, individuals
//   noise.ts      findSpikes (Hampel median/MAD), findStuck, findGaps, findMinuteGaps, findMinuteStuck,
//                 samplingPeriod, gapThresholdMs, excludedIndices — every Finding has a UI sentence
//   limits.ts     estimateLimits(subgroups, 'rbar-d2' | 'sbar-c4' | 'mrbar-d2')
//   charts.ts     xbarChart, rangeChart, sdChart, individualsChart, movingRangeChart, ewmaChart (+ pairs)
//   rules.ts      applyRules(chart, selection, {restartAfterSignal}) — Western Electric 1–4, Nelson 1–8
//   constants.ts  spcConstants(n) (A2 D3 D4 A3 B3 B4 c4 d2 d3 for n = 2..25), c4(n) for any n
//
// Every bad argument is an Invalid (400) naming the field; nothing here throws anything else on user input.
export * from './analyze.js';
export * from './capability.js';
export * from './charts.js';
export * from './constants.js';
export * from './histogram.js';
export * from './limits.js';
export * from './monitor.js';
export * from './noise.js';
export * from './rules.js';
export * from './subgroups.js';
export type * from './types.js';
