// A machine's produced units as the database keeps them: per-minute counts of the machine
// (minute_counts: parts − reworks), the raw units of the last, partial minute before the as-of
// moment, and each lot's first and last instant (lot_counts). A lot's units are the machine's units
// within the lot's span — exact as long as lots on one machine do not interleave, which the queue
// rule (one running job per machine) guarantees for planned work. Minute counts are placed at the
// start of their minute; shift edges and observed windows are whole minutes, so counts over working
// intervals are exact, and the partial minute holding `at` comes from raw cycles so nothing at or
// after `at` is counted.
import { countBefore, type UnitSource } from './history.js';

export interface MinuteUnitsInput {
  /** the as-of moment: nothing at or after it is used */
  at: number;
  /** minute start (UTC ms, multiple of 60 000) → units, minutes before floor(at) only, ascending */
  minutes: readonly { minute: number; units: number }[];
  /** instants of the units of the partial minute [floor(at), at), with their lot */
  tail: readonly { at: number; lot: string }[];
  /** every lot of the machine with its first and last unit (as stored; clipped to `at` here) */
  lots: readonly { lot: string; firstAt: number; lastAt: number }[];
}

const MINUTE = 60_000;

export class MinuteUnits implements UnitSource {
  private readonly starts: number[];
  /** prefix[i] = units of minutes[0..i) */
  private readonly prefix: number[];
  private readonly tail: readonly { at: number; lot: string }[];
  private readonly lots: Map<string, { firstAt: number; lastAt: number }>;
  private readonly sortedLots: { lot: string; firstAt: number; lastAt: number }[];
  private readonly at: number;

  constructor(input: MinuteUnitsInput) {
    this.at = input.at;
    const cut = Math.floor(input.at / MINUTE) * MINUTE;
    const minutes = input.minutes.filter((row) => row.minute < cut);
    this.starts = minutes.map((row) => row.minute);
    this.prefix = [0];
    for (const row of minutes) this.prefix.push(this.prefix[this.prefix.length - 1] + row.units);
    this.tail = input.tail.filter((unit) => unit.at < input.at && unit.at >= cut);
    this.sortedLots = input.lots.filter((lot) => lot.firstAt < input.at).map((lot) => ({ ...lot, lastAt: Math.min(lot.lastAt, input.at) })).sort((a, b) => a.firstAt - b.firstAt);
    this.lots = new Map(this.sortedLots.map((lot) => [lot.lot, lot]));
  }

  hasLot(lot: string): boolean {
    return this.lots.has(lot);
  }

  units(from: number, to: number): number {
    const end = Math.min(to, this.at);
    if (end <= from) return 0;
    let count = this.prefix[countBefore(this.starts, end)] - this.prefix[countBefore(this.starts, from)];
    for (const unit of this.tail) if (unit.at >= from && unit.at < end) count++;
    return count;
  }

  lotUnits(lot: string, from: number, to: number): number {
    const span = this.lots.get(lot);
    if (span === undefined) return 0;
    const start = Math.max(from, Math.floor(span.firstAt / MINUTE) * MINUTE);
    const end = Math.min(to, span.lastAt + 1);
    if (end <= start) return 0;
    const cut = Math.floor(this.at / MINUTE) * MINUTE;
    let count = this.prefix[countBefore(this.starts, Math.min(end, cut))] - this.prefix[countBefore(this.starts, Math.min(start, cut))];
    for (const unit of this.tail) if (unit.lot === lot && unit.at >= start && unit.at < end) count++;
    return count;
  }

  lotFirstBefore(lot: string, before: number): number | null {
    const span = this.lots.get(lot);
    return span !== undefined && span.firstAt < before ? span.firstAt : null;
  }

  firstBefore(before: number): number | null {
    const first = this.sortedLots[0]?.firstAt ?? null;
    return first !== null && first < before ? first : null;
  }

  changeoversBefore(before: number): { start: number; end: number }[] {
    const gaps: { start: number; end: number }[] = [];
    for (let i = 1; i < this.sortedLots.length; i++) {
      const end = this.sortedLots[i].firstAt;
      const start = this.sortedLots[i - 1].lastAt;
      if (end <= before && end > start) gaps.push({ start, end });
    }
    return gaps;
  }
}

