// What operators report changes the numbers (issue 13 item 4, DESIGN §4): on the calendar basis
// (ISO 22400) the parts of stops given a planned-downtime or not-scheduled reason leave loading
// time, and scrap (rejects) and reported rework leave quality. The legacy iTrak analysis keeps its
// first-to-last-part loading as the original system had it: planned stops inside it stay losses.
import type { Executor } from '../../db/database.js';
import { normalizeIntervals, subtractIntervals, type Interval } from '../../core/oee/oee.js';
import { lossKindOf, type LossCategory } from '../../core/losses/index.js';
import * as inputRepo from '../operator-input/repository.js';

export interface OperatorEffects {
  /** stop parts whose reason takes them out of loading time, sorted and disjoint */
  excluded: Interval[];
  /** scrap entries: instant and units lost to quality (rejects + reported rework) */
  scrap: { at: number; units: number }[];
  /** what they were made from: the reasons of stops and the scrap entries of the window */
  segments: inputRepo.SegmentRow[];
  scrapRows: inputRepo.ScrapRow[];
}

/** The reasons and scrap of machines over [from, to) that the OEE of the window takes in: two queries for all of them. */
export async function operatorEffectsOf(db: Executor, machines: readonly string[], from: number, to: number): Promise<Map<string, OperatorEffects>> {
  const [segments, scrap] = await Promise.all([inputRepo.segmentsOverlapping(db, machines, from, to), inputRepo.scrapBetween(db, machines, from, to)]);
  const effects = new Map<string, OperatorEffects>();
  for (const machine of machines) {
    effects.set(machine, effectsFrom(segments.filter((s) => s.machine === machine), scrap.filter((s) => s.machine === machine), from, to));
  }
  return effects;
}

function effectsFrom(segments: inputRepo.SegmentRow[], scrap: inputRepo.ScrapRow[], from: number, to: number): OperatorEffects {
  const excluded: Interval[] = [];
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if (segment.category && lossKindOf(segment.category as LossCategory) === 'excluded') excluded.push({ start: segment.segmentStart, end: inputRepo.segmentEnd(segments, i) });
  }
  return { excluded: normalizeIntervals(excluded, from, to), scrap: scrap.map((s) => ({ at: s.at, units: s.quantity + s.rework })), segments, scrapRows: scrap };
}

/** Calendar loading without the planned stop parts. */
export function loadingWithout(loading: readonly Interval[], effects: OperatorEffects): Interval[] {
  return effects.excluded.length === 0 ? [...loading] : subtractIntervals(loading, effects.excluded);
}

/** Units lost to scrap and reported rework in [from, to). */
export function scrapUnits(effects: OperatorEffects, from: number, to: number): number {
  let units = 0;
  for (const s of effects.scrap) if (s.at >= from && s.at < to) units += s.units;
  return units;
}
