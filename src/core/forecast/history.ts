// A machine's produced units in time order, the one input every forecast method reads. Built from
// camera cycles (or units loaded from the database): produced = parts − reworks (core/oee's rule),
// so a reworked strip passing again adds nothing. Queries are binary searches, so a forecast
// "as of" any moment costs the same whatever the history's length, and only units strictly
// before the moment are ever seen.
import { PartRegistry } from '../oee/rework.js';
import { isNoLot } from '../sensor/parse.js';

export interface UnitCycle {
  at: number;
  lot: string;
  serial: string;
  part: boolean;
}

/** What a forecast reads of a machine's units; every answer only counts units before the times asked. */
export interface UnitSource {
  hasLot(lot: string): boolean;
  /** units of the lot in [from, to) */
  lotUnits(lot: string, from: number, to: number): number;
  lotFirstBefore(lot: string, before: number): number | null;
  /** units of any lot in [from, to) */
  units(from: number, to: number): number;
  firstBefore(before: number): number | null;
  /** gaps between one lot's last unit and the next lot's first, ending by `before` */
  changeoversBefore(before: number): { start: number; end: number }[];
}

export class MachineUnits implements UnitSource {
  private readonly registry = new PartRegistry();
  /** every produced unit of the machine (any lot) */
  private times: number[] = [];
  private lotOf: string[] = [];
  private readonly byLot = new Map<string, number[]>();
  private sorted = true;
  private changeovers: { start: number; end: number }[] | null = null;

  /** Adds one cycle in file order (the order decides which pass of a serial is the rework). */
  add(cycle: UnitCycle): void {
    if (!cycle.part || isNoLot(cycle.lot)) return;
    if (this.registry.isRework(cycle.lot, cycle.serial)) return;
    this.addUnit(cycle.at, cycle.lot);
  }

  /** Adds one produced unit (already judged not to be a rework). */
  addUnit(at: number, lot: string): void {
    const last = this.times.length > 0 ? this.times[this.times.length - 1] : -Infinity;
    if (at < last) this.sorted = false;
    this.changeovers = null;
    this.times.push(at);
    this.lotOf.push(lot);
    let lotTimes = this.byLot.get(lot);
    if (lotTimes === undefined) this.byLot.set(lot, (lotTimes = []));
    lotTimes.push(at);
  }

  /** Camera clocks step back by a second or two now and then: sort once before the first query. */
  private ensureSorted(): void {
    if (this.sorted) return;
    const order = this.times.map((_, index) => index).sort((a, b) => this.times[a] - this.times[b]);
    this.times = order.map((index) => this.times[index]);
    this.lotOf = order.map((index) => this.lotOf[index]);
    for (const lotTimes of this.byLot.values()) lotTimes.sort((a, b) => a - b);
    this.sorted = true;
  }

  hasLot(lot: string): boolean {
    return this.byLot.has(lot);
  }

  /** Units of the lot made in [from, to). */
  lotUnits(lot: string, from: number, to: number): number {
    this.ensureSorted();
    const lotTimes = this.byLot.get(lot);
    if (lotTimes === undefined) return 0;
    return countBefore(lotTimes, to) - countBefore(lotTimes, from);
  }

  /** Time of the lot's first unit before `before`, or null. */
  lotFirstBefore(lot: string, before: number): number | null {
    this.ensureSorted();
    const lotTimes = this.byLot.get(lot);
    if (lotTimes === undefined || lotTimes.length === 0 || lotTimes[0] >= before) return null;
    return lotTimes[0];
  }

  /** Time of the n-th unit of the lot (1-based), or null. */
  lotUnitTime(lot: string, n: number): number | null {
    this.ensureSorted();
    const lotTimes = this.byLot.get(lot);
    if (lotTimes === undefined || n < 1 || n > lotTimes.length) return null;
    return lotTimes[n - 1];
  }

  /** Time of the lot's last unit in the data, or null. */
  lotLast(lot: string): number | null {
    this.ensureSorted();
    const lotTimes = this.byLot.get(lot);
    return lotTimes === undefined || lotTimes.length === 0 ? null : lotTimes[lotTimes.length - 1];
  }

  /** Units of any lot in [from, to). */
  units(from: number, to: number): number {
    this.ensureSorted();
    return countBefore(this.times, to) - countBefore(this.times, from);
  }

  /** The machine's first unit before `before`, or null. */
  firstBefore(before: number): number | null {
    this.ensureSorted();
    return this.times.length > 0 && this.times[0] < before ? this.times[0] : null;
  }

  /**
   * Lot changeovers before `before`: the gap between a lot's last unit and the next lot's first.
   * That time is not lost by the running lot (its remainder holds no changeover), so the learned
   * availability leaves it out.
   */
  changeoversBefore(before: number): { start: number; end: number }[] {
    this.ensureSorted();
    if (this.changeovers === null) {
      this.changeovers = [];
      for (let i = 1; i < this.times.length; i++) {
        if (this.lotOf[i] !== this.lotOf[i - 1]) this.changeovers.push({ start: this.times[i - 1], end: this.times[i] });
      }
    }
    return this.changeovers.filter((gap) => gap.end <= before);
  }
}

/** Number of entries of an ascending array that are < value. */
export function countBefore(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
