// What the Losses section draws, as plain data from the server's loss model: the bars of the
// waterfall (the standard technique: an invisible base bar under each floating loss), the block a
// step belongs to (its colour), and the rows of a Pareto level. No OEE arithmetic: the steps, their
// seconds and the six big losses come from /api/oee/losses.
import type { LossSummary } from '../../api/analytics.js';

export type WaterfallStep = LossSummary['steps'][number];

/** Where a step sits in the loss model: the blocks between the totals. */
export type LossBlock = 'total' | 'final' | 'planned' | 'availability' | 'performance' | 'quality';

export interface WaterfallBar {
  key: string;
  label: string;
  block: LossBlock;
  /** hours of the invisible bar under the visible one */
  baseHours: number;
  /** hours the visible bar spans (never negative) */
  heightHours: number;
  /** the step's own seconds (a loss is negative when the line beat the ideal rate: a gain) */
  seconds: number;
  /** a loss step with negative seconds: time won back (faster than ideal) */
  gain: boolean;
}

const LOSS_BLOCKS: LossBlock[] = ['planned', 'availability', 'performance', 'quality'];
/** The block of the losses after each total of the server's waterfall (src/core/losses/waterfall.ts keys). */
const BLOCK_AFTER: Record<string, LossBlock> = { calendar: 'planned', loading: 'availability', operating: 'performance', 'net-operating': 'quality' };

/**
 * The waterfall as bars: a total stands on the axis; a loss floats from the level before it down by
 * its hours (a gain floats up). Which block a loss is in follows from the total before it
 * (calendar → planned, loading → availability, operating → performance, net → quality), so a
 * category counted elsewhere by a profile (a minor stop as availability loss) is coloured where it counts.
 */
export function waterfallBars(steps: readonly WaterfallStep[]): WaterfallBar[] {
  let level = 0;
  let totalsSeen = 0;
  let block: LossBlock = 'planned';
  const lastTotal = steps.map((s) => s.kind).lastIndexOf('total');
  return steps.map((step, index) => {
    const hours = step.seconds / 3600;
    if (step.kind === 'total') {
      totalsSeen++;
      level = hours;
      block = BLOCK_AFTER[step.key] ?? LOSS_BLOCKS[Math.min(totalsSeen - 1, LOSS_BLOCKS.length - 1)];
      return { key: step.key, label: step.label, block: index === lastTotal && index > 0 ? 'final' : 'total', baseHours: 0, heightHours: Math.max(0, hours), seconds: step.seconds, gain: false };
    }
    const gain = hours < 0;
    const after = level - hours;
    const bar = { key: step.key, label: step.label, block, baseHours: Math.max(0, Math.min(level, after)), heightHours: Math.abs(hours), seconds: step.seconds, gain };
    level = after;
    return bar;
  });
}

export interface ParetoRow {
  key: string;
  label: string;
  seconds: number;
  count: number;
  /** of the level's total */
  share: number;
  cumulativeShare: number;
}

/** One Pareto level: largest first (ties by label), each with its share and the running share of the level's total. */
export function paretoRows(items: readonly { key: string; label: string; seconds: number; count: number }[]): ParetoRow[] {
  const positive = items.filter((item) => item.seconds > 0);
  const total = positive.reduce((sum, item) => sum + item.seconds, 0);
  let running = 0;
  return positive
    .slice()
    .sort((a, b) => b.seconds - a.seconds || a.label.localeCompare(b.label))
    .map((item) => {
      running += item.seconds;
      return { ...item, share: item.seconds / total, cumulativeShare: running / total };
    });
}

/** The order the six big losses are named in (Nakajima's): availability, performance, quality. */
export const SIX_BIG_LOSSES = ['breakdown', 'setup', 'minorStop', 'reducedSpeed', 'startupReject', 'productionReject'] as const;

/** A summary with nothing to draw: no time in the window at all (a window before any data, a line without shifts). */
export function isEmptySummary(summary: LossSummary): boolean {
  return summary.steps.length === 0 || summary.steps.every((step) => Math.abs(step.seconds) < 0.5);
}
