// The plan as it stood at each shift start (issue 15 item 6). Instants are UTC epoch ms.
export interface PlanBaselineShiftTable {
  /** a shift start of the site calendar; the row is the claim that its baseline was taken */
  shift_start: number;
  shift_end: number;
  /** when the baseline was taken (at or shortly after shift_start) */
  taken_at: number;
}

export interface PlanBaselineTable {
  shift_start: number;
  lot: string;
  step: number;
  machine_key: string;
  /** the operation's forecast start and end as planned then */
  start_at: number;
  end_at: number;
  /** units still to make then (quantity − produced) */
  remaining: number;
  /** 'queued' | 'running' */
  state: string;
}
