// What a screen shows of an OEE result: one rule for the analytics gauges, tables and the machine
// cards ("OEE today"), so that a card and the analytics page never disagree on the same figures.
// - No parts in the window: nothing to show ("no production"), whatever the ratios say (an empty-
//   pocket-only window would otherwise read "OEE 0 %, A 100 %, P 0 %").
// - OEE undefined (too little to measure): "not measurable".
// - Performance above 100 % means the standard (ideal) rate is set too low, not that the line beat
//   physics: it is shown as 100 % and OEE as A × 100 % × Q, with a plain warning beside it
//   (web/src/pages/analytics/warnings.ts); the measured figures stay in the API and the exports.
import type { OeeResult } from './oee.js';

export type ShownState = 'no-production' | 'not-measurable' | 'figures';

export interface ShownFigures {
  state: ShownState;
  oee: number | null;
  availability: number | null;
  performance: number | null;
  quality: number | null;
  /** performance came out above 100 % and is shown capped */
  performanceCapped: boolean;
}

type Figures = Pick<OeeResult, 'parts' | 'oee' | 'availability' | 'performance' | 'quality'>;

export function shownFigures(result: Figures): ShownFigures {
  const state: ShownState = result.parts <= 0 ? 'no-production' : result.oee === null ? 'not-measurable' : 'figures';
  const performanceCapped = result.performance !== null && result.performance > 1;
  if (!performanceCapped) return { state, oee: result.oee, availability: result.availability, performance: result.performance, quality: result.quality, performanceCapped };
  const { availability, quality } = result;
  const oee = availability !== null && quality !== null ? Math.round(availability * quality * 1e4) / 1e4 : result.oee;
  return { state, oee: oee === null ? null : Math.min(oee, 1), availability, performance: 1, quality, performanceCapped };
}
