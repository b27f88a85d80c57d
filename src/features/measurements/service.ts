// Rules of measurement channels: a channel belongs to an existing machine, its key is unique there,
// edits carry the version they were made on (409 when stale), deleting one needs a reason and takes
// its samples with it; every change is audited in its own transaction. Samples come in through
// ingestMeasurements (ingest.ts), the one door of upload, drop folder, CLI and MQTT.
import type { Db, Executor, Tx } from '../../db/database.js';
import { Conflict, Invalid, NotFound, StaleVersion } from '../../core/errors.js';
import { requireReason } from '../../core/reasons.js';
import { chooseBucketMs, MINUTE_MS, minuteOf, toBucket, type MinuteStats } from '../../core/measurements/index.js';
import { appendAudit } from '../audit/repository.js';
import type { Who } from '../audit/who.js';
import * as plantRepo from '../plant/repository.js';
import type { ReferenceCheck } from '../plant/service.js';
import * as channelRepo from './channel-repository.js';
import * as repo from './repository.js';
import type { Channel, ChannelCreate, ChannelUpdate } from './schemas.js';

export { ingestMeasurements, type MeasurementDelivery, type MeasurementDoor, type FileDelivery, type SampleDelivery } from './ingest.js';

const ENTITY = 'measurement-channel';

const audit = (trx: Tx, who: Who, key: string, action: string, before: unknown, after: unknown) =>
  appendAudit(trx, { actor: who.actor, source: who.source, reason: who.reason, entity: ENTITY, entityKey: key, action, before, after });

async function requireMachine(db: Executor, machine: string): Promise<void> {
  if (!(await plantRepo.getMachine(db, machine))) throw new NotFound('machine', machine);
}

export async function listChannels(db: Executor, machine: string): Promise<Channel[]> {
  await requireMachine(db, machine);
  return channelRepo.listChannels(db, machine);
}

export async function getChannel(db: Executor, machine: string, key: string): Promise<Channel> {
  await requireMachine(db, machine);
  const channel = await channelRepo.getChannel(db, machine, key);
  if (!channel) throw new NotFound('channel', `${machine}/${key}`);
  return channel;
}

export async function createChannel(db: Db, who: Who, machine: string, input: ChannelCreate): Promise<Channel> {
  return db.transaction().execute(async (trx) => {
    await requireMachine(trx, machine);
    if (await channelRepo.getChannel(trx, machine, input.key)) throw new Conflict(`machine ${machine} already has a channel '${input.key}'`);
    const created = await channelRepo.insertChannel(trx, machine, input, Date.now());
    await audit(trx, who, `${machine}/${input.key}`, 'create', null, created);
    return created;
  });
}

export async function updateChannel(db: Db, who: Who, machine: string, key: string, input: ChannelUpdate): Promise<Channel> {
  return db.transaction().execute(async (trx) => {
    const before = await getChannel(trx, machine, key);
    if (before.version !== input.version) throw new StaleVersion('channel', `${machine}/${key}`, input.version, before.version);
    if (!(await channelRepo.updateChannel(trx, machine, key, input, Date.now()))) throw new StaleVersion('channel', `${machine}/${key}`, input.version, input.version + 1);
    const after = (await channelRepo.getChannel(trx, machine, key))!;
    await audit(trx, who, `${machine}/${key}`, 'update', before, after);
    return after;
  });
}

export async function deleteChannel(db: Db, who: Who, machine: string, key: string, version?: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await getChannel(trx, machine, key);
    if (version !== undefined && before.version !== version) throw new StaleVersion('channel', `${machine}/${key}`, version, before.version);
    const reason = requireReason(who, `deleting channel ${before.name} and its samples`);
    const samples = await repo.countSamples(trx, before.id);
    await repo.deleteChannelData(trx, before.id);
    await channelRepo.deleteChannel(trx, before.id);
    await audit(trx, { ...who, reason }, `${machine}/${key}`, 'delete', { ...before, samples }, null);
  });
}

/** Blocks deleting a machine that still has channels (plant's reference check). */
export const measurementChannelsCheck: ReferenceCheck = async (db, key) => ((await channelRepo.machineHasChannels(db, key)) ? 'measurement channels (delete them under Admin → Channels first)' : null);

// ---- reading (the SPC feature reads through these) --------------------------------------------------

/** The instant of a channel's first stored sample (null: none yet). */
export function firstSampleAt(db: Executor, channelId: number): Promise<number | null> {
  return repo.firstSampleAt(db, channelId);
}

/** Samples of a channel (measurement_channels.id) with from ≤ at < to (UTC ms), in time order. */
export function samplesInWindow(db: Executor, channelId: number, from: number, to: number): Promise<{ at: number; value: number }[]> {
  return repo.samplesInWindow(db, channelId, from, to);
}

/** Per-hour statistics of a channel for the hours starting in [from, to), in time order (`minute` = the hour's start). */
export function hourStats(db: Executor, channelId: number, from: number, to: number): Promise<MinuteStats[]> {
  return repo.hourStats(db, channelId, from, to);
}

/** Per-minute statistics (n, sum, sumSq, min, max) of a channel for the minutes starting in [from, to), in time order. */
export function minuteStats(db: Executor, channelId: number, from: number, to: number): Promise<MinuteStats[]> {
  return repo.minuteStats(db, channelId, from, to);
}

const BUCKET_UNITS: Record<string, number> = { m: MINUTE_MS, h: 60 * MINUTE_MS, d: 1440 * MINUTE_MS };
/** Raw samples when a window holds at most this many at the channel's period (and no bucket is asked for). */
const RAW_POINTS = 600;
/** The most points one series answer may carry (an explicit bucket=raw or a small bucket over a long window). */
export const MAX_SERIES_POINTS = 50_000;

/** A channel's series over [from, to): raw samples for small windows or `bucket=raw`, else buckets of minutes. */
export async function channelSeries(db: Executor, machine: string, key: string, query: { from: number; to: number; bucket?: string }) {
  const channel = await getChannel(db, machine, key);
  const span = query.to - query.from;
  const raw = query.bucket === 'raw' || (query.bucket === undefined && span / (channel.samplePeriodSeconds * 1000) <= RAW_POINTS);
  const base = { channel: channel.key, unit: channel.unit, from: query.from, to: query.to };
  const expected = raw ? span / (channel.samplePeriodSeconds * 1000) : 0;
  if (expected > MAX_SERIES_POINTS) throw Invalid.field('query.bucket', `raw samples of ${Math.round(expected)} expected points are too many (at most ${MAX_SERIES_POINTS}): ask for a bucket such as 1m or a shorter window`);
  if (raw) return { ...base, bucketMs: null, buckets: [], samples: await repo.samplesInWindow(db, channel.id, query.from, query.to) };
  const bucketMs = query.bucket ? Number(query.bucket.slice(0, -1)) * BUCKET_UNITS[query.bucket.slice(-1)] : chooseBucketMs(query.from, query.to);
  if (span / bucketMs > MAX_SERIES_POINTS) throw Invalid.field('query.bucket', `${query.bucket} buckets give ${Math.ceil(span / bucketMs)} points (at most ${MAX_SERIES_POINTS}): ask for a wider bucket or a shorter window`);
  // whole minutes only: a minute that starts before `from` is left out rather than half counted
  // buckets of a day or more start at a whole hour and are read from the hourly statistics (a year: 8 760 rows)
  const start = bucketMs >= 24 * 60 * MINUTE_MS ? Math.ceil(query.from / (60 * MINUTE_MS)) * 60 * MINUTE_MS : minuteOf(query.from + MINUTE_MS - 1);
  const merged = await repo.bucketStats(db, channel.id, start, query.to, bucketMs);
  return { ...base, bucketMs, buckets: merged.map(toBucket), samples: [] };
}
