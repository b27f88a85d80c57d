// Machine data: raw camera cycles, the ingest ledger, and the derived tables the OEE of any window is
// computed from (gaps, per-minute and per-hour counts, per-lot counts). Instants are UTC epoch ms.
import type { Generated } from 'kysely';

/** One camera cycle (one pocket past the camera). Raw data: deleted after QMFG_RAW_RETENTION_DAYS. */
export interface CycleTable {
  machine_key: string;
  at: number;
  item: string;
  /** as the camera wrote it ('0' / '000000' = no lot) */
  lot: string;
  serial: string;
  /** 1 = a part was in the pocket */
  part: number;
  /** 1 = this part's (lot, serial) was already seen on the machine (decided at ingest) */
  rework: number;
  /** ingest_files.id the cycle came from */
  file_id: number;
  /** 1-based line in that file (or message line number for MQTT) */
  line: number;
}

/**
 * Ledger of what was consumed from each file (or MQTT stream): the byte offset moves in the same
 * transaction as the rows it produced, so a re-run or a crash never duplicates or loses a cycle.
 */
export interface IngestFileTable {
  id: Generated<number>;
  machine_key: string;
  /** base name, e.g. PR20221013.txt */
  name: string;
  /** last path it was read from (null for uploads) */
  path: string | null;
  /** 'file' (CLI, drop folder) | 'upload' | 'mqtt' | 'demo' */
  source: string;
  /** sha256 hex of the first identity_bytes bytes + the name; unique per machine while active */
  identity: string;
  /** min(4096, size) when the identity was taken */
  identity_bytes: number;
  consumed_bytes: number;
  consumed_lines: number;
  /** sha256 hex of bytes [0, consumed_bytes) */
  prefix_sha256: string;
  cycles: number;
  errors: number;
  /**
   * 'active' | 'replaced' (the file changed under the same path; a new row took over) | 'rejected' (binary)
   * | 'undone' (its cycles were removed again by an authorised user; the row stays as history)
   */
  status: string;
  message: string | null;
  first_at: number | null;
  last_at: number | null;
  created_at: number;
  updated_at: number;
  /** who imported it (user name of an upload; null for the drop folder, CLI, MQTT and older rows) */
  created_by: string | null;
  /** sha256 hex of the first identity_bytes bytes without the name: the same content under another name (null: MQTT, older rows) */
  head_sha256: string | null;
  /** the ledger row whose content (consumed prefix, or cycles by machine + instant + serial) this one repeats */
  duplicate_of: number | null;
  /** cycles / bytes the audit trail has covered so far, and when its last entry for this row was written (null: none yet) */
  audited_cycles: number | null;
  audited_bytes: number | null;
  audited_at: number | null;
}

/** Row errors of ingested files, capped per file (the ledger's `errors` counts them all). */
export interface IngestErrorTable {
  id: Generated<number>;
  file_id: number;
  machine_key: string;
  line: number;
  message: string;
  created_at: number;
}

/** Every gap > 1.0 s between consecutive cycles of a machine (arrival order): (start_at, end_at]. */
export interface GapTable {
  machine_key: string;
  start_at: number;
  end_at: number;
}

/**
 * The same gaps packed per machine and UTC day of their end (little-endian float64 pairs
 * [start, end, start, end, …]): a year of gaps is read as 365 rows instead of ~180 000.
 */
export interface GapDayTable {
  machine_key: string;
  day: number;
  gaps: number;
  data: Buffer;
}

/** Counts of the cycles whose instant lies in one minute (minute_counts) or hour (hour_counts). */
export interface PeriodCountsColumns {
  machine_key: string;
  cycles: number;
  parts: number;
  empty: number;
  reworks: number;
  first_part_at: number | null;
  last_part_at: number | null;
  first_at: number;
  last_at: number;
  /** Σ max(0, gap) of these cycles (the machine's very first cycle has no gap) */
  gap_ms: number;
  /** Σ (period start − previous instant) of these cycles with 0 < gap ≤ 1 s whose previous cycle lies before the period */
  lead_in_ms: number;
}

export interface MinuteCountTable extends PeriodCountsColumns {
  minute: number;
}

export interface HourCountTable extends PeriodCountsColumns {
  hour: number;
}

/** Totals per lot and machine: progress and observed rate for the scheduler. */
export interface LotCountTable {
  machine_key: string;
  lot: string;
  item: string;
  cycles: number;
  parts: number;
  reworks: number;
  first_at: number;
  last_at: number;
}

/** Per machine: what the next batch chains onto. `seq` grows with every batch (and is the batch lock). */
export interface MachineStateTable {
  machine_key: string;
  /** instant of the machine's very first cycle (it has no gap) */
  first_at: number | null;
  /** instant of the last cycle ingested (arrival order): the previous cycle of the next batch */
  last_at: number | null;
  /** longest gap recorded: bounds how far after a window a stop overlapping it can end */
  max_gap_ms: number;
  seq: number;
  updated_at: number;
}

/** MQTT messages already stored, per machine (dedupe on redelivery). */
export interface MqttMessageTable {
  machine_key: string;
  /** 'id:<message id>' or 'line:<sha256 of the line>' */
  message_key: string;
  received_at: number;
}

/** Operator's reason for a stop, keyed by the stop's start instant. */
/** User-defined OEE profiles: the current version (built-ins live in code). */
export interface OeeProfileTable {
  name: string;
  version: number;
  /** JSON of the OeeProfile */
  json: string;
  updated_at: number;
}

/** Every version a profile ever had (results name "name@vN"; old versions stay computable). */
export interface OeeProfileVersionTable {
  name: string;
  version: number;
  json: string;
  created_at: number;
  actor: string;
}

/** The state a machine's own source last reported (MQTT <prefix>/<machine>/state), one row per machine. */
export interface MachineReportedStateTable {
  machine_key: string;
  /** 'running' | 'stopped' */
  state: string;
  /** when the machine says the state began (epoch ms) */
  at: number;
  received_at: number;
  /** where it came from, e.g. the MQTT topic */
  source: string;
  reason: string | null;
}
