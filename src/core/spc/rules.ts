// Run rules over a chart's points: Western Electric 1–4 and Nelson 1–8, selectable per chart.
// Each point is read in σ of the plotted statistic: z = (value − centre) / ((ucl − centre)/3) above the
// centre line, with (centre − lcl)/3 below (R/S charts are not symmetric). A point exactly on the centre
// line is on neither side; two equal consecutive values are neither up nor down.
// Windows never reach across a gap (a point marked afterGap starts afresh), nor, with
// `restartAfterSignal`, across a signal (as when an operator investigates and restarts: the setting of
// the average-run-length tables). Otherwise a rule that keeps firing on overlapping windows (a run of
// 12 above the centre line) gives one violation that grows, not one per point.
import { Invalid } from '../errors.js';
import type { Chart } from './types.js';

export type RuleId =
  | 'we1' | 'we2' | 'we3' | 'we4'
  | 'nelson1' | 'nelson2' | 'nelson3' | 'nelson4' | 'nelson5' | 'nelson6' | 'nelson7' | 'nelson8';

export const WESTERN_ELECTRIC: readonly RuleId[] = ['we1', 'we2', 'we3', 'we4'];
export const NELSON: readonly RuleId[] = ['nelson1', 'nelson2', 'nelson3', 'nelson4', 'nelson5', 'nelson6', 'nelson7', 'nelson8'];

/** 'western-electric' (1–4), 'nelson' (1–8), 'none', or any list of rules. */
export type RuleSelection = 'western-electric' | 'nelson' | 'none' | readonly RuleId[];

export type Direction = 'above' | 'below' | 'up' | 'down' | 'either';

export interface Violation {
  rule: RuleId;
  /** e.g. "Western Electric rule 4" */
  ruleName: string;
  direction: Direction;
  /** indices into chart.points of the points concerned */
  indices: number[];
  /** their instants (ChartPoint.at) */
  instants: number[];
  /** the point at which the rule first fired */
  signalIndex: number;
  /** a sentence for the UI, e.g. "8 points in a row above the centre line" */
  message: string;
}

type Shape =
  | { type: 'beyond' }
  | { type: 'k-of-m'; k: number; m: number; z: number }
  | { type: 'side'; length: number }
  | { type: 'trend'; length: number }
  | { type: 'alternate'; length: number }
  | { type: 'within'; length: number }
  | { type: 'outside'; length: number };

const SHAPES: Record<RuleId, Shape> = {
  we1: { type: 'beyond' },
  we2: { type: 'k-of-m', k: 2, m: 3, z: 2 },
  we3: { type: 'k-of-m', k: 4, m: 5, z: 1 },
  we4: { type: 'side', length: 8 },
  nelson1: { type: 'beyond' },
  nelson2: { type: 'side', length: 9 },
  nelson3: { type: 'trend', length: 6 },
  nelson4: { type: 'alternate', length: 14 },
  nelson5: { type: 'k-of-m', k: 2, m: 3, z: 2 },
  nelson6: { type: 'k-of-m', k: 4, m: 5, z: 1 },
  nelson7: { type: 'within', length: 15 },
  nelson8: { type: 'outside', length: 8 },
};

export function ruleName(rule: RuleId): string {
  return rule.startsWith('we') ? `Western Electric rule ${rule.slice(2)}` : `Nelson rule ${rule.slice(6)}`;
}

export function selectRules(selection: RuleSelection): readonly RuleId[] {
  if (selection === 'western-electric') return WESTERN_ELECTRIC;
  if (selection === 'nelson') return NELSON;
  if (selection === 'none') return [];
  for (const [i, rule] of selection.entries()) if (!(rule in SHAPES)) throw Invalid.field(`rules.${i}`, `unknown rule '${String(rule)}'`);
  return selection;
}

function describe(shape: Shape, direction: Direction, count: number, span: number): string {
  const side = direction === 'above' ? 'above' : 'below';
  switch (shape.type) {
    case 'beyond':
      return `1 point beyond the ${direction === 'above' ? 'upper' : 'lower'} control limit (3σ)`;
    case 'k-of-m':
      return `${count} of ${Math.max(span, shape.m)} points in a row more than ${shape.z}σ ${side} the centre line`;
    case 'side':
      return `${count} points in a row ${side} the centre line`;
    case 'trend':
      return `${count} points in a row steadily ${direction === 'up' ? 'increasing' : 'decreasing'}`;
    case 'alternate':
      return `${count} points in a row alternating up and down`;
    case 'within':
      return `${count} points in a row within 1σ of the centre line`;
    case 'outside':
      return `${count} points in a row more than 1σ from the centre line (either side)`;
  }
}

interface Open {
  violation: Violation;
  last: number;
  first: number;
}

/** The run-rule violations of a chart, in the order they fired. */
export function applyRules(chart: Chart, selection: RuleSelection, options: { restartAfterSignal?: boolean } = {}): Violation[] {
  const rules = selectRules(selection);
  const points = chart.points;
  const count = points.length;
  if (rules.length === 0 || count === 0) return [];
  const shapes = rules.map((rule) => SHAPES[rule]);
  const z = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const p = points[i];
    const d = p.value - p.centre;
    const unit = d >= 0 ? (p.ucl - p.centre) / 3 : (p.centre - p.lcl) / 3;
    z[i] = d === 0 ? 0 : unit > 0 ? d / unit : d > 0 ? Infinity : -Infinity;
  }
  const restart = options.restartAfterSignal ?? false;
  const out: Violation[] = [];
  const open: (Open | null)[] = rules.map(() => null);
  let start = 0;
  let above = 0;
  let below = 0;
  let up = 1;
  let down = 1;
  let alternating = 1;
  let within = 0;
  let outside = 0;
  const reset = (from: number): void => {
    start = from;
    above = below = within = outside = 0;
    up = down = alternating = 1;
    open.fill(null);
  };
  for (let i = 0; i < count; i++) {
    if (points[i].afterGap && i > start) reset(i);
    const zi = z[i];
    above = zi > 0 ? above + 1 : 0;
    below = zi < 0 ? below + 1 : 0;
    within = Math.abs(zi) < 1 ? within + 1 : 0;
    outside = Math.abs(zi) > 1 ? outside + 1 : 0;
    if (i > start) {
      const diff = points[i].value - points[i - 1].value;
      const before = i - 1 > start ? points[i - 1].value - points[i - 2].value : 0;
      up = diff > 0 ? up + 1 : 1;
      down = diff < 0 ? down + 1 : 1;
      alternating = diff === 0 ? 1 : before !== 0 && Math.sign(diff) !== Math.sign(before) ? alternating + 1 : 2;
    }
    let fired = false;
    for (let r = 0; r < rules.length; r++) {
      const shape = shapes[r];
      let direction: Direction | null = null;
      let windowStart = i;
      let hits: number[] | null = null;
      switch (shape.type) {
        case 'beyond':
          if (points[i].value > points[i].ucl) direction = 'above';
          else if (points[i].value < points[i].lcl) direction = 'below';
          break;
        case 'k-of-m': {
          const from = Math.max(start, i - shape.m + 1);
          let high = 0;
          let low = 0;
          for (let k = from; k <= i; k++) {
            if (z[k] > shape.z) high++;
            else if (z[k] < -shape.z) low++;
          }
          if (high >= shape.k || low >= shape.k) {
            direction = high >= shape.k ? 'above' : 'below';
            windowStart = from;
            hits = [];
            for (let k = from; k <= i; k++) if (direction === 'above' ? z[k] > shape.z : z[k] < -shape.z) hits.push(k);
          }
          break;
        }
        case 'side':
          if (above >= shape.length) direction = 'above';
          else if (below >= shape.length) direction = 'below';
          windowStart = i - shape.length + 1;
          break;
        case 'trend':
          if (up >= shape.length) direction = 'up';
          else if (down >= shape.length) direction = 'down';
          windowStart = i - shape.length + 1;
          break;
        case 'alternate':
          if (alternating >= shape.length) direction = 'either';
          windowStart = i - shape.length + 1;
          break;
        case 'within':
          if (within >= shape.length) direction = 'either';
          windowStart = i - shape.length + 1;
          break;
        case 'outside':
          if (outside >= shape.length) direction = 'either';
          windowStart = i - shape.length + 1;
          break;
      }
      if (direction === null) continue;
      fired = true;
      const indices = hits ?? Array.from({ length: i - windowStart + 1 }, (_, k) => windowStart + k);
      const current = open[r];
      if (current !== null && current.violation.direction === direction && windowStart <= current.last) {
        const seen = new Set(current.violation.indices);
        for (const k of indices) if (!seen.has(k)) current.violation.indices.push(k);
        current.last = i;
      } else {
        const violation: Violation = { rule: rules[r], ruleName: ruleName(rules[r]), direction, indices, instants: [], signalIndex: i, message: '' };
        out.push(violation);
        open[r] = { violation, last: i, first: windowStart };
      }
    }
    if (fired && restart) reset(i + 1);
  }
  for (const v of out) {
    v.indices.sort((a, b) => a - b);
    v.instants = v.indices.map((k) => points[k].at);
    const shape = SHAPES[v.rule];
    const span = v.indices[v.indices.length - 1] - v.indices[0] + 1;
    v.message = describe(shape, v.direction, v.indices.length, shape.type === 'k-of-m' ? Math.max(span, shape.m) : span);
  }
  return out;
}
