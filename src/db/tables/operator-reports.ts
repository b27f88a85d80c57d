// Operator reports (issue 13): reason trees, reasons of stops, scrap, crew and the signed shift log.
import type { Generated } from 'kysely';

/** One version of a process group's reason tree; the newest version is the one offered. */
export interface ReasonTreeTable {
  process_group: string;
  version: number;
  /** the tree as JSON (src/core/losses/tree.ts) */
  json: string;
  created_at: number;
  created_by: string;
}

/** A reason for a stop from `segment_start` to the next segment (or the stop's end). */
export interface StopReasonSegmentTable {
  machine_key: string;
  /** the gap's start: the stop is (stop_start, stop_end] */
  stop_start: number;
  segment_start: number;
  stop_end: number;
  /** a leaf of the tree (or a free code from before the tree) */
  reason_id: string | null;
  /** the tree version the reason was chosen from (null: a code given before the tree) */
  tree_version: number | null;
  /** the loss category as the reason had it when given (null: unknown, counted as unplanned downtime) */
  category: string | null;
  /** the reason's path as it read when given ("Unplanned › Jam › Pocket jam") */
  label: string | null;
  comment: string | null;
  entered_by: string;
  entered_at: number;
}

export interface ScrapEntryTable {
  id: Generated<number>;
  machine_key: string;
  shift_start: number;
  /** when the scrap counts (inside the shift) */
  at: number;
  lot: string;
  reason_id: string;
  tree_version: number;
  /** startupReject | productionReject as the reason had it */
  category: string;
  label: string;
  quantity: number;
  /** of them, reworked (made good again): they leave quality as reworks, not rejects */
  rework: number;
  comment: string | null;
  entered_by: string;
  entered_at: number;
}

export type ShiftLogState = 'draft' | 'submitted' | 'signed' | 'reopened';

export interface ShiftLogTable {
  id: Generated<number>;
  machine_key: string;
  shift_start: number;
  shift_end: number;
  state: ShiftLogState;
  notes: string | null;
  /** open issues handed to the next shift */
  open_issues: string | null;
  /** units the operator counted for the shift (reconciled with the camera's count) */
  reported_count: number | null;
  version: number;
  submitted_by: string | null;
  submitted_at: number | null;
  signed_by: string | null;
  signed_at: number | null;
  /** the report's content as it was signed (JSON): a reopened report shows what changed after signing */
  signed_json: string | null;
  reopened_by: string | null;
  reopened_at: number | null;
  reopen_reason: string | null;
  updated_at: number;
}

export interface CrewEntryTable {
  id: Generated<number>;
  machine_key: string;
  shift_start: number;
  /** the name as shown (a user's full name, or a name typed for a temporary worker) */
  person: string;
  username: string | null;
  /** paid hours on this line in this shift */
  hours: number;
  entered_by: string;
  entered_at: number;
}

export interface ShiftHandoverAckTable {
  machine_key: string;
  /** the shift whose handover was read */
  shift_start: number;
  username: string;
  at: number;
  comment: string | null;
}
