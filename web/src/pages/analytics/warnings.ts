// The OEE engine's warnings in words for plant staff. The engine's own strings stay as they are
// (they are part of the JSON of `qmfg analyze --json`); the screens and the workbook show these.
import type { OeeResult } from '../../api/analytics.js';

type Rule = [pattern: RegExp, say: (match: RegExpMatchArray) => string | null];

const PERFORMANCE_ABOVE_100 = /^performance ([\d.]+ %) > 100 %: the ideal rate ([\d.]+)\/min/;

/** Performance above 100 % is shown capped (core shownFigures); this says why, on every screen alike. */
const fasterThanStandard = (measured: string, idealPerMinute: string) =>
  `Runs faster than its standard rate — check the product's rate. Performance came out at ${measured} and is shown as 100 %: the ideal rate set for this line is ${idealPerMinute} parts/min.`;

const RULES: Rule[] = [
  // shown as the "No production in this window" state instead
  [/^no cycles in the window/, () => null],
  [/^no parts in the window/, () => null],
  [/^no planned production time in the window/, () => 'No production is planned in this window in the production calendar, so availability, performance and OEE cannot be worked out.'],
  [/^loading time is 0/, () => 'Too few parts were made in this window to measure a production run, so availability, performance and OEE cannot be worked out.'],
  [/^net run time is 0/, () => 'The line was stopped for the whole time, so performance cannot be worked out; OEE is 0 %.'],
  [/^the data starts ([\d.]+ min) into the planned production time/, (m) => `The machine data starts ${m[1]} after the planned start. That time counts neither as running nor as stopped: import the previous day's file to close the gap.`],
  [/^the data ends ([\d.]+ min) before the planned production time does/, (m) => `The machine data ends ${m[1]} before the planned end. That time counts neither as running nor as stopped.`],
  [/^availability .* is outside 0–100 %/, () => 'Availability came out outside 0–100 %. This is a fault in qmfg: please report it.'],
  [PERFORMANCE_ABOVE_100, (m) => fasterThanStandard(m[1], m[2])],
  [/^quality .* < 0 %/, () => 'Reworks and rejects add up to more than the parts made. Check the reported rejects.'],
  // not a problem: there simply was no stop long enough to count as downtime (MTBF/MTTR show "–")
  [/^no availability-loss stops/, () => null],
  [/^no running time/, () => 'The line never ran at speed in this window, so the run rate cannot be worked out.'],
];

/** One engine warning in plain words; null when there is nothing to tell a reader. */
export function plainWarning(warning: string): string | null {
  for (const [pattern, say] of RULES) {
    const match = warning.match(pattern);
    if (match) return say(match);
  }
  return warning;
}

/** The warnings of a result worth showing, in plain words, without repeats. */
export function plainWarnings(result: Pick<OeeResult, 'warnings'>): string[] {
  const said = result.warnings.map(plainWarning).filter((text): text is string => text !== null);
  return [...new Set(said)];
}

/** The plain warning for a performance shown capped at 100 %, or null (the machine cards show only this one). */
export function performanceCapWarning(result: Pick<OeeResult, 'warnings'>): string | null {
  for (const warning of result.warnings) {
    const match = warning.match(PERFORMANCE_ABOVE_100);
    if (match) return fasterThanStandard(match[1], match[2]);
  }
  return null;
}
