// The only place with SQL for measurement_samples, measurement_minutes and measurement_files.
import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { MeasurementFileTable } from '../../db/tables/measurements.js';
import { bulkInsert, upsertRows } from '../../db/bulk.js';
import { dialectOf } from '../../db/transaction.js';
import { mergeStats, type MinuteStats } from '../../core/measurements/stats.js';

// ---- samples -------------------------------------------------------------------------------------

export interface StoredSample {
  channelId: number;
  at: number;
  value: number;
  fileId: number | null;
  line: number | null;
}

/** Instants of a channel already stored within [from, to] (both inclusive). */
export async function storedInstants(db: Executor, channelId: number, from: number, to: number): Promise<Set<number>> {
  const rows = await db.selectFrom('measurement_samples').select('at').where('channel_id', '=', channelId).where('at', '>=', from).where('at', '<=', to).execute();
  return new Set(rows.map((r) => Number(r.at)));
}

export async function insertSamples(db: Executor, samples: readonly StoredSample[]): Promise<void> {
  await bulkInsert(db, 'measurement_samples', ['channel_id', 'at', 'value', 'file_id', 'line'], samples.map((s) => [s.channelId, s.at, s.value, s.fileId, s.line]));
}

/** Samples of a channel with from ≤ at < to, in time order. */
export async function samplesInWindow(db: Executor, channelId: number, from: number, to: number): Promise<{ at: number; value: number }[]> {
  const rows = await db
    .selectFrom('measurement_samples')
    .select(['at', 'value'])
    .where('channel_id', '=', channelId)
    .where('at', '>=', from)
    .where('at', '<', to)
    .orderBy('at')
    .execute();
  return rows.map((r) => ({ at: Number(r.at), value: Number(r.value) }));
}

/** The instant of a channel's first stored sample, null when it has none. */
export async function firstSampleAt(db: Executor, channelId: number): Promise<number | null> {
  const row = await db.selectFrom('measurement_samples').select((eb) => eb.fn.min('at').as('first')).where('channel_id', '=', channelId).executeTakeFirst();
  return row?.first === null || row?.first === undefined ? null : Number(row.first);
}

export async function countSamples(db: Executor, channelId: number): Promise<number> {
  const row = await db.selectFrom('measurement_samples').select((eb) => eb.fn.countAll().as('n')).where('channel_id', '=', channelId).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function deleteChannelData(db: Executor, channelId: number): Promise<void> {
  await db.deleteFrom('measurement_samples').where('channel_id', '=', channelId).execute();
  await db.deleteFrom('measurement_minutes').where('channel_id', '=', channelId).execute();
  await db.deleteFrom('measurement_hours').where('channel_id', '=', channelId).execute();
}

// ---- per-minute statistics -------------------------------------------------------------------------

/** Adds the statistics of newly stored samples to their minutes (n and sums add, min/max merge). */
export async function addToMinutes(db: Executor, channelId: number, minutes: readonly MinuteStats[]): Promise<void> {
  await upsertRows(
    db,
    'measurement_minutes',
    ['channel_id', 'minute', 'n', 'sum_value', 'sum_sq', 'min_value', 'max_value'],
    ['channel_id', 'minute'],
    minutes.map((m) => [channelId, m.minute, m.n, m.sum, m.sumSq, m.min, m.max]),
    { n: 'add', sum_value: 'add', sum_sq: 'add', min_value: 'min', max_value: 'max' },
  );
}

const HOUR_MS = 3_600_000;

/** The same statistics rolled up to their UTC hours, in the same transaction. */
export async function addToHours(db: Executor, channelId: number, minutes: readonly MinuteStats[]): Promise<void> {
  const hours = mergeStats(minutes, HOUR_MS);
  await upsertRows(
    db,
    'measurement_hours',
    ['channel_id', 'hour', 'n', 'sum_value', 'sum_sq', 'min_value', 'max_value'],
    ['channel_id', 'hour'],
    hours.map((m) => [channelId, m.minute, m.n, m.sum, m.sumSq, m.min, m.max]),
    { n: 'add', sum_value: 'add', sum_sq: 'add', min_value: 'min', max_value: 'max' },
  );
}

/** Hour statistics of a channel with from ≤ hour < to, in time order (`minute` holds the hour's start). */
export async function hourStats(db: Executor, channelId: number, from: number, to: number): Promise<MinuteStats[]> {
  const rows = await db
    .selectFrom('measurement_hours')
    .selectAll()
    .where('channel_id', '=', channelId)
    .where('hour', '>=', from)
    .where('hour', '<', to)
    .orderBy('hour')
    .execute();
  return rows.map((r) => ({ minute: Number(r.hour), n: Number(r.n), sum: Number(r.sum_value), sumSq: Number(r.sum_sq), min: Number(r.min_value), max: Number(r.max_value) }));
}

/** Minute statistics of a channel with from ≤ minute < to, in time order. */
export async function minuteStats(db: Executor, channelId: number, from: number, to: number): Promise<MinuteStats[]> {
  const rows = await db
    .selectFrom('measurement_minutes')
    .selectAll()
    .where('channel_id', '=', channelId)
    .where('minute', '>=', from)
    .where('minute', '<', to)
    .orderBy('minute')
    .execute();
  return rows.map((r) => ({ minute: Number(r.minute), n: Number(r.n), sum: Number(r.sum_value), sumSq: Number(r.sum_sq), min: Number(r.min_value), max: Number(r.max_value) }));
}

/**
 * The minutes of [from, to) merged into buckets of `bucketMs` (a whole number of minutes, aligned
 * to multiples of it since the epoch) by the database: a year of minutes is ~525 000 rows, which
 * the database sums far faster than they can be sent (measured: 2.3 s → see the README figures).
 * `minute` holds the bucket start.
 */
export async function bucketStats(db: Executor, channelId: number, from: number, to: number, bucketMs: number): Promise<MinuteStats[]> {
  if (!Number.isSafeInteger(bucketMs) || bucketMs <= 0) throw new Error(`bucketMs must be a positive integer, got ${bucketMs}`);
  if (bucketMs % HOUR_MS === 0 && from % HOUR_MS === 0) return hourBuckets(db, channelId, from, to, bucketMs);
  const width = sql.lit(bucketMs);
  const start = dialectOf(db) === 'mysql' ? sql<number>`(minute div ${width}) * ${width}` : sql<number>`(minute / ${width}) * ${width}`;
  const rows = await db
    .selectFrom('measurement_minutes')
    .select([
      start.as('bucket'),
      (eb) => eb.fn.sum<number>('n').as('n'),
      (eb) => eb.fn.sum<number>('sum_value').as('sum_value'),
      (eb) => eb.fn.sum<number>('sum_sq').as('sum_sq'),
      (eb) => eb.fn.min<number>('min_value').as('min_value'),
      (eb) => eb.fn.max<number>('max_value').as('max_value'),
    ])
    .where('channel_id', '=', channelId)
    .where('minute', '>=', from)
    .where('minute', '<', to)
    .groupBy(start)
    .orderBy(start)
    .execute();
  return rows.map((r) => ({ minute: Number(r.bucket), n: Number(r.n), sum: Number(r.sum_value), sumSq: Number(r.sum_sq), min: Number(r.min_value), max: Number(r.max_value) }));
}

/** Buckets of whole hours merged from the hourly statistics (a year: 8 760 rows read, not 525 600). */
async function hourBuckets(db: Executor, channelId: number, from: number, to: number, bucketMs: number): Promise<MinuteStats[]> {
  const hours = (await hourStats(db, channelId, from, Math.ceil(to / HOUR_MS) * HOUR_MS)).filter((h) => h.minute < to);
  return mergeStats(hours, bucketMs);
}

// ---- file ledger -----------------------------------------------------------------------------------

export interface MeasurementFileRow {
  id: number;
  machine: string;
  name: string;
  source: string;
  identity: string;
  consumedBytes: number;
  consumedLines: number;
  prefixSha256: string;
  samples: number;
  duplicates: number;
  errors: number;
  createdBy: string | null;
  createdAt: number;
  updatedAt: number;
}

function toFile(r: Selectable<MeasurementFileTable>): MeasurementFileRow {
  return {
    id: Number(r.id), machine: r.machine_key, name: r.name, source: r.source, identity: r.identity, consumedBytes: Number(r.consumed_bytes), consumedLines: Number(r.consumed_lines),
    prefixSha256: r.prefix_sha256, samples: Number(r.samples), duplicates: Number(r.duplicates), errors: Number(r.errors), createdBy: r.created_by,
    createdAt: Number(r.created_at), updatedAt: Number(r.updated_at),
  };
}

export async function fileByIdentity(db: Executor, machine: string, identity: string): Promise<MeasurementFileRow | undefined> {
  const row = await db.selectFrom('measurement_files').selectAll().where('machine_key', '=', machine).where('identity', '=', identity).executeTakeFirst();
  return row && toFile(row);
}

export async function insertFile(db: Executor, row: { machine: string; name: string; source: string; identity: string; createdBy: string | null }, now: number): Promise<MeasurementFileRow> {
  await db
    .insertInto('measurement_files')
    .values({
      machine_key: row.machine, name: row.name, source: row.source, identity: row.identity, consumed_bytes: 0, consumed_lines: 0,
      prefix_sha256: '', samples: 0, duplicates: 0, errors: 0, created_by: row.createdBy, created_at: now, updated_at: now,
    })
    .execute();
  return (await fileByIdentity(db, row.machine, row.identity))!;
}

/**
 * Moves a file's offset from `fromBytes` (compare-and-set: false when another run moved it first)
 * and adds what the batch stored.
 */
export async function advanceFile(
  db: Executor,
  id: number,
  fromBytes: number,
  next: { consumedBytes: number; consumedLines: number; prefixSha256: string; samples: number; duplicates: number; errors: number },
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('measurement_files')
    .set((eb) => ({
      consumed_bytes: next.consumedBytes,
      consumed_lines: next.consumedLines,
      prefix_sha256: next.prefixSha256,
      samples: eb('samples', '+', next.samples),
      duplicates: eb('duplicates', '+', next.duplicates),
      errors: eb('errors', '+', next.errors),
      updated_at: now,
    }))
    .where('id', '=', id)
    .where('consumed_bytes', '=', fromBytes)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** A file whose consumed prefix no longer matches (rewritten): read again from the start (samples stay unique). */
export async function restartFile(db: Executor, id: number, now: number): Promise<void> {
  await db.updateTable('measurement_files').set({ consumed_bytes: 0, consumed_lines: 0, prefix_sha256: '', updated_at: now }).where('id', '=', id).execute();
}

export async function listFiles(db: Executor, machine: string, limit: number): Promise<MeasurementFileRow[]> {
  const rows = await db.selectFrom('measurement_files').selectAll().where('machine_key', '=', machine).orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toFile);
}
