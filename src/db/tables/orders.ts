// Work orders and their operations (one per routing step).
import type { OperationState, RateMode } from '../../core/schedule/types.js';

export interface WorkOrderTable {
  lot: string;
  product_key: string;
  quantity: number;
  /** due instant, UTC ms */
  due: number | null;
  priority: number;
  notes: string;
  /** null = the site default */
  rate_mode: RateMode | null;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface OperationTable {
  lot: string;
  step: number;
  state: OperationState;
  machine_key: string | null;
  /** place in the machine's queue, 0 = running job */
  position: number | null;
  produced: number;
  good: number;
  scrap: number;
  observed_rate_per_hour: number | null;
  /** the machine's learned rate for the rest of the operation (core/forecast); rate mode 'recommended' */
  recommended_rate_per_hour: number | null;
  forecast_start: number | null;
  forecast_end: number | null;
  /** working minutes of family changeover the plan puts directly before the operation (issue 15) */
  forecast_changeover_minutes: number;
  /** when that changeover is over (the bar's hatched lead-in ends); null without a forecast */
  forecast_changeover_end: number | null;
  late: number;
  actual_start: number | null;
  actual_end: number | null;
  /** 1 = the planner pinned it: the optimiser keeps its machine and order (issue 15) */
  pinned: number;
}
