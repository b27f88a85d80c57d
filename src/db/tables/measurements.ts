// Measurement channels (issue 14): channels per machine, their samples, per-minute statistics and
// the ledger of consumed measurement files. Instants are UTC epoch ms.
import type { Generated } from 'kysely';

export interface MeasurementChannelTable {
  id: Generated<number>;
  machine_key: string;
  /** unique per machine, e.g. film-thickness */
  key: string;
  name: string;
  /** what is measured, e.g. thickness, temperature, pressure */
  quantity: string;
  /** e.g. mm, °C, kPa */
  unit: string;
  target: number | null;
  lsl: number | null;
  usl: number | null;
  /** how often the source is expected to deliver a sample */
  sample_period_seconds: number;
  /** JSON of the channel's source (drop-folder / upload / mqtt / csv mapping) */
  source_json: string;
  version: number;
  created_at: number;
  updated_at: number;
}

/** One measured value; (channel_id, at) is unique, so a re-import never stores it twice. */
export interface MeasurementSampleTable {
  channel_id: number;
  at: number;
  value: number;
  /** measurement_files.id it came from (null: MQTT) */
  file_id: number | null;
  /** 1-based line in that file */
  line: number | null;
}

/** Statistics of a channel's samples whose instant lies in one UTC minute. */
export interface MeasurementMinuteTable {
  channel_id: number;
  minute: number;
  n: number;
  sum_value: number;
  sum_sq: number;
  min_value: number;
  max_value: number;
}

/** The same statistics per UTC hour (long windows read these). */
export interface MeasurementHourTable {
  channel_id: number;
  hour: number;
  n: number;
  sum_value: number;
  sum_sq: number;
  min_value: number;
  max_value: number;
}

/** What was consumed of each measurement file: the offset moves in the transaction of its samples. */
export interface MeasurementFileTable {
  id: Generated<number>;
  machine_key: string;
  name: string;
  /** 'file' (CLI, drop folder) | 'upload' */
  source: string;
  /** sha256 of the first min(4096, size) bytes + the name */
  identity: string;
  consumed_bytes: number;
  consumed_lines: number;
  /** sha256 hex of bytes [0, consumed_bytes) */
  prefix_sha256: string;
  samples: number;
  duplicates: number;
  errors: number;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}
