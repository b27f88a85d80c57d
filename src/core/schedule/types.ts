// Shapes the scheduler reads and writes. All instants are UTC epoch milliseconds.
import type { Interval } from '../calendar/index.js';

export type { Interval };

/** Working time of the site between two instants, in ascending order (the site calendar). */
export type WorkingTimeSource = (from: number, to: number) => Interval[];

export type OperationState = 'parked' | 'queued' | 'running' | 'done' | 'held';

export type RateMode = 'standard' | 'observed' | 'recommended';

/** The rate mode of a work order without one of its own, unless the site chose another (issue 12 item 2). */
export const DEFAULT_RATE_MODE: RateMode = 'recommended';

export interface RoutingStep {
  /** process group the step runs on */
  group: string;
  /** standard rate, units per hour */
  ratePerHour: number;
  /** changeover before the step starts on a machine, in working minutes */
  setupMinutes: number;
  /** wait after the step before the next step may start (QC release, sign-off), in clock hours */
  gateHours: number;
}

export interface PlanProduct {
  key: string;
  /** changeover family (issue 15); absent = the product is its own family */
  family?: string;
  routing: RoutingStep[];
}

export interface PlanMachine {
  key: string;
  group: string;
  /**
   * family the machine last ran before its queue (from machine data or set by the planner); null or
   * absent = unknown, so the machine's first operation has no changeover
   */
  lastFamily?: string | null;
  /**
   * when the machine is down although the site works (planned maintenance, a what-if "line down for a
   * day"): taken out of its working time; absent = none
   */
  unavailable?: Interval[];
}

/** `*` in a changeover rule: any family */
export const ANY_FAMILY = '*';

/** One changeover rule: working minutes to change a machine of `group` from `from` to `to`. */
export interface ChangeoverRule {
  /** process group the rule applies to; absent = every group (the `qmfg plan` file's top-level rules) */
  group?: string | null;
  /** family or `*` */
  from: string;
  /** family or `*` */
  to: string;
  minutes: number;
}

export interface PlanOperationInput {
  /** index into the product's routing, 0-based */
  step: number;
  /** machine the operation is loaded on; null = parking lot */
  machine: string | null;
  /** place in the machine's queue (0 = running job); null with a machine = after the positioned ones */
  position: number | null;
  state?: OperationState;
  /** units already produced for this operation */
  produced: number;
  /** extrapolated rate from recent machine data, used when the work order's rate mode is 'observed' */
  observedRatePerHour?: number | null;
  /** the machine's learned rate for the operation (core/forecast), used when the rate mode is 'recommended' */
  recommendedRatePerHour?: number | null;
  /** for done operations: when it actually started / finished */
  actualStart?: number | null;
  actualEnd?: number | null;
  /** the planner pinned it: the optimiser keeps its machine and its order among the frozen ones */
  pinned?: boolean;
}

export interface PlanWorkOrder {
  lot: string;
  product: string;
  quantity: number;
  /** due instant; null = no due date */
  due: number | null;
  rateMode?: RateMode;
  /** one entry per routing step at most; a routing step without an entry is treated as parked */
  operations: PlanOperationInput[];
}

export interface PlanInput {
  now: number;
  /** working time source (site calendar), called lazily in growing windows */
  working: WorkingTimeSource;
  machines: PlanMachine[];
  products: PlanProduct[];
  workOrders: PlanWorkOrder[];
  /** changeover matrix rules (issue 15); absent = no changeovers */
  changeovers?: ChangeoverRule[];
}

export interface PlannedOperation {
  lot: string;
  step: number;
  machine: string | null;
  /** forecast (or, for done operations, actual) start; null when it cannot be planned */
  start: number | null;
  end: number | null;
  /** end is after the work order's due instant */
  late: boolean;
  /** working minutes of family changeover planned directly before the operation (in start → end) */
  changeoverMinutes: number;
  /** when the changeover is over (the hatched lead-in of the bar ends); equals start without one */
  changeoverEnd: number | null;
}

/** Why an operation got no forecast, for the board to explain a blank bar. */
export type UnplannedReason =
  | 'parked'
  | 'held'
  | 'predecessor-unplanned'
  | 'horizon-exceeded'
  | 'queue-deadlock';

export interface PlanResult {
  /** every routing step of every work order, in work-order order then step */
  operations: PlannedOperation[];
  /** operations (`lot/step`) that do not finish within the planning horizon */
  horizonExceeded: string[];
  /** every operation left without a forecast (done operations excluded), with the reason */
  unplanned: { lot: string; step: number; reason: UnplannedReason }[];
}

export type LoadMode = 'replace' | 'insert' | 'append' | 'position';
