// Ingest of measurement files and messages: idempotent and transactional.
//
// A file is parsed from its first byte every run (an LVM's headers say how to read every later
// line), but only lines after the ledger's consumed_lines are stored, once the sha256 of the
// consumed prefix has been checked (a rewritten file is read again from the start). Samples are
// stored in batches; each batch — samples, their per-minute statistics, the ledger's new offset
// (compare-and-set from the offset read) and, with the last batch, the audit entry — is ONE
// transaction. A crash therefore never loses or duplicates a sample: a batch and its offset are
// stored together or not at all. Samples already stored (same channel and instant: a copy of a
// file, MQTT after the file) are counted as duplicates and left out before the minutes are summed,
// so the minutes stay exact — a late sample into a minute already summarised just adds to it.
import { createHash, type Hash } from 'node:crypto';
import type { Db, Tx } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { Conflict, Invalid, NotFound } from '../../core/errors.js';
import {
  CsvMeasurementParser, csvMappingSchema, LineSplitter, LvmParser, minutesOf, type CsvMapping, type MeasurementParser, type ParseOutput, type ParsedSample, type RowError,
} from '../../core/measurements/index.js';
import { appendAudit } from '../audit/repository.js';
import type { Who } from '../audit/who.js';
import * as plantRepo from '../plant/repository.js';
import { KeyedMutex } from '../machine-data/locks.js';
import type { IngestSource } from '../machine-data/sources.js';
import * as channelRepo from './channel-repository.js';
import * as repo from './repository.js';
import { csvFields } from './csv-fields.js';
import type { Channel, MeasurementFileResult } from './schemas.js';

export const DEFAULT_BATCH_SAMPLES = 20_000;
const IDENTITY_BYTES = 4096;
const MAX_RESULT_ERRORS = 100;

export type MeasurementFormat = 'lvm' | 'csv';

export interface FileDelivery {
  machine: string;
  source: IngestSource;
  /** absent: from the name (.lvm → lvm, anything else → csv) */
  format?: MeasurementFormat;
  /** CSV column mapping; absent: the machine's csv-source channel's mapping, else header names = channel keys */
  mapping?: CsvMapping;
  /** every sample of a one-column file goes to this channel key; in a wider file only this channel's column is stored */
  channel?: string;
  /** the file is complete (a last line without line break is read too) */
  final: boolean;
  /** the ledger's source: 'upload' or 'file' (CLI, drop folder) */
  origin: 'upload' | 'file';
  batchSamples?: number;
  /** runs in each batch's transaction before its commit (tests throw here to simulate a crash) */
  onBatch?: (batch: { index: number; stored: number }, trx: Tx) => void | Promise<void>;
  /** bytes read so far (progress bars) */
  onProgress?: (bytes: number) => void;
}

/** Samples from a message (MQTT): channel keys, UTC ms. */
export interface SampleDelivery {
  machine: string;
  /** shown as the result's file (the topic) */
  name: string;
  samples: readonly { channel: string; at: number; value: number }[];
}

export type MeasurementDelivery = FileDelivery | SampleDelivery;

/** Who makes the change, for the audit entry (entity 'measurement-file'). */
export interface MeasurementDoor {
  who: Who;
  /** 'upload' | 'import' */
  action: string;
}

export interface MeasurementContext {
  db: Db;
  zone: string;
  clock?: () => number;
}

const locks = new WeakMap<Db, KeyedMutex>();
const lockOf = (db: Db) => locks.get(db) ?? (locks.set(db, new KeyedMutex()), locks.get(db)!);

export const formatOf = (name: string): MeasurementFormat => (/\.lvm$/i.test(name) ? 'lvm' : 'csv');

/**
 * The one door of measurements: upload, drop folder, CLI and MQTT all come through here. One
 * result per delivery, in order; each machine's deliveries are serialised.
 */
export async function ingestMeasurements(ctx: MeasurementContext, deliveries: readonly MeasurementDelivery[], door: MeasurementDoor): Promise<MeasurementFileResult[]> {
  const results: MeasurementFileResult[] = [];
  for (const delivery of deliveries) {
    if (!(await plantRepo.getMachine(ctx.db, delivery.machine))) throw new NotFound('machine', delivery.machine);
    const run = () => ('source' in delivery ? ingestFile(ctx, delivery, door) : ingestSamples(ctx, delivery));
    results.push(await lockOf(ctx.db).run(delivery.machine, run));
  }
  return results;
}

/** Channel of a file's column name: its key, its name or its source's fileName (any case). */
function channelResolver(channels: readonly Channel[], only: string | undefined, columns: () => number) {
  const byName = new Map<string, Channel>();
  for (const channel of channels) {
    for (const name of [channel.key, channel.name, 'fileName' in channel.source ? channel.source.fileName : undefined]) {
      if (name && !byName.has(name.toLowerCase())) byName.set(name.toLowerCase(), channel);
    }
  }
  const target = only === undefined ? undefined : channels.find((c) => c.key === only);
  if (only !== undefined && !target) throw Invalid.field('channel', `no channel '${only}' on this machine (channels: ${channels.map((c) => c.key).join(', ') || 'none yet'})`);
  return (name: string): Channel | null => {
    const found = byName.get(name.toLowerCase()) ?? null;
    if (!target) return found;
    if (found?.id === target.id || columns() === 1) return target;
    return null;
  };
}

function emptyResult(file: string, format: MeasurementFormat): MeasurementFileResult {
  return { file, fileId: null, format, stored: 0, duplicates: 0, errors: [], errorCount: 0, skippedBytes: 0, consumedBytes: 0, alreadyImported: false, channels: {}, firstAt: null, lastAt: null };
}

interface Batch {
  samples: { channel: Channel; at: number; value: number; line: number }[];
  errors: number;
}

/** Stores one batch: samples not stored yet, their minutes; returns [stored, duplicates]. */
async function storeSamples(trx: Tx, fileId: number | null, samples: Batch['samples'], result: MeasurementFileResult): Promise<[number, number]> {
  const byChannel = new Map<number, { channel: Channel; rows: Batch['samples'] }>();
  for (const sample of samples) {
    const entry = byChannel.get(sample.channel.id) ?? { channel: sample.channel, rows: [] };
    entry.rows.push(sample);
    byChannel.set(sample.channel.id, entry);
  }
  let stored = 0;
  let duplicates = 0;
  for (const { channel, rows } of byChannel.values()) {
    let from = Infinity;
    let to = -Infinity;
    for (const r of rows) {
      if (r.at < from) from = r.at;
      if (r.at > to) to = r.at;
    }
    const seen = await repo.storedInstants(trx, channel.id, from, to);
    const fresh: repo.StoredSample[] = [];
    for (const r of rows) {
      if (seen.has(r.at)) {
        duplicates++;
        continue;
      }
      seen.add(r.at);
      fresh.push({ channelId: channel.id, at: r.at, value: r.value, fileId, line: r.line });
    }
    await repo.insertSamples(trx, fresh);
    await repo.addToMinutes(trx, channel.id, minutesOf(fresh));
    stored += fresh.length;
    result.channels[channel.key] = (result.channels[channel.key] ?? 0) + fresh.length;
    for (const f of fresh) {
      if (result.firstAt === null || f.at < result.firstAt) result.firstAt = f.at;
      if (result.lastAt === null || f.at > result.lastAt) result.lastAt = f.at;
    }
  }
  return [stored, duplicates];
}

async function ingestFile(ctx: MeasurementContext, delivery: FileDelivery, door: MeasurementDoor): Promise<MeasurementFileResult> {
  const clock = ctx.clock ?? Date.now;
  const { db } = ctx;
  const { machine, source } = delivery;
  const format = delivery.format ?? formatOf(source.name);
  const result = emptyResult(source.name, format);
  const batchSamples = delivery.batchSamples ?? DEFAULT_BATCH_SAMPLES;
  const { size } = await source.describe();
  if (size === 0) {
    result.errors.push({ file: source.name, line: 0, message: 'the file is empty (0 bytes): nothing to import' });
    result.errorCount = 1;
    return result;
  }
  const channels = await channelRepo.listChannels(db, machine);
  const head = await source.head(Math.min(IDENTITY_BYTES, size));
  const identity = createHash('sha256').update(head).update('\u0000').update(source.name).digest('hex');
  let ledger = await repo.fileByIdentity(db, machine, identity);

  // the consumed prefix must be what was read before; else read the file again from the start
  if (ledger && ledger.consumedBytes > 0) {
    const prefix = ledger.consumedBytes <= size ? await hashRange(source, ledger.consumedBytes) : null;
    if (prefix !== ledger.prefixSha256) {
      await repo.restartFile(db, ledger.id, clock());
      ledger = { ...ledger, consumedBytes: 0, consumedLines: 0 };
    }
  }
  result.fileId = ledger?.id ?? null;
  result.skippedBytes = ledger?.consumedBytes ?? 0;
  result.consumedBytes = result.skippedBytes;
  if (ledger && ledger.consumedBytes === size) {
    result.alreadyImported = true;
    return result;
  }

  const mapping = delivery.mapping ?? channels.flatMap((c) => (c.source.kind === 'csv' ? [c.source.mapping] : []))[0] ?? csvMappingSchema.parse({});
  const parser: MeasurementParser = format === 'lvm' ? new LvmParser({ file: source.name, zone: ctx.zone }) : new CsvMeasurementParser({ file: source.name, zone: ctx.zone, mapping, split: csvFields });
  const resolve = channelResolver(channels, delivery.channel, () => parser.channels().length);
  const unknown = new Set<string>();
  const skipLines = ledger?.consumedLines ?? 0;
  let fromBytes = ledger?.consumedBytes ?? 0;
  let batchIndex = 0;
  let anyStored = false;
  const hasher = new PrefixHasher();
  const out: ParseOutput = { samples: [], errors: [] };
  let pending: Batch = { samples: [], errors: 0 };
  let last = { endByte: fromBytes, number: skipLines };

  const collect = () => {
    for (const sample of out.samples) {
      if (sample.line <= skipLines) continue;
      const channel = resolve(sample.channel);
      if (channel) pending.samples.push({ channel, at: sample.at, value: sample.value, line: sample.line });
      else if (!unknown.has(sample.channel) && delivery.channel === undefined) {
        unknown.add(sample.channel);
        addError(result, { file: source.name, line: sample.line, message: unknownChannel(sample, machine, channels) });
        pending.errors++;
      }
    }
    for (const error of out.errors) {
      if (error.line !== 0 && error.line <= skipLines) continue;
      addError(result, error);
      pending.errors++;
    }
    out.samples = [];
    out.errors = [];
  };

  const flush = async (final: boolean) => {
    const batch = pending;
    pending = { samples: [], errors: 0 };
    const end = last;
    if (end.endByte === fromBytes && batch.samples.length === 0 && batch.errors === 0) return;
    const prefixSha256 = hasher.digestAt(end.endByte);
    const index = batchIndex++;
    const snapshot = structuredClone(result);
    try {
      // the ledger row is taken from the transaction only once it committed
      ledger = await inTransaction(db, async (trx) => {
        Object.assign(result, structuredClone(snapshot)); // a retried attempt starts from the same result
        const now = clock();
        const row = ledger ?? (await repo.insertFile(trx, { machine, name: source.name, source: delivery.origin, identity, createdBy: door.who.actor }, now));
        const [stored, duplicates] = await storeSamples(trx, row.id, batch.samples, result);
        result.stored += stored;
        result.duplicates += duplicates;
        const moved = await repo.advanceFile(trx, row.id, fromBytes, { consumedBytes: end.endByte, consumedLines: end.number, prefixSha256, samples: stored, duplicates, errors: batch.errors }, now);
        if (!moved) throw new Conflict(`${source.name} is being imported by another run for ${machine}: try again when it has finished`);
        await delivery.onBatch?.({ index, stored }, trx);
        if (final) await auditRun(trx, door, { ...row, consumedBytes: end.endByte }, result, now);
        return row;
      });
      anyStored = true;
    } catch (error) {
      // the transaction rolled back: so does what this batch added to the result
      Object.assign(result, snapshot);
      throw error;
    }
    fromBytes = end.endByte;
    result.fileId = ledger!.id;
    result.consumedBytes = end.endByte;
  };

  const splitter = new LineSplitter();
  let read = 0;
  for await (const chunk of source.read(0, size)) {
    hasher.add(chunk);
    read += chunk.length;
    for (const line of splitter.push(chunk)) {
      parser.line(line.text, line.number, out);
      collect();
      if (line.number > skipLines) last = { endByte: line.endByte, number: line.number };
      if (pending.samples.length >= batchSamples) await flush(false);
    }
    delivery.onProgress?.(read);
  }
  if (delivery.final) {
    for (const line of splitter.end()) {
      parser.line(line.text, line.number, out);
      if (line.number > skipLines) last = { endByte: line.endByte, number: line.number };
    }
    if (skipLines === 0) parser.finish(out);
    collect();
  }
  const before = batchIndex;
  await flush(true);
  // the last batch went out on its size limit: the run's entry goes on its own
  if (batchIndex === before && anyStored) await inTransaction(db, (trx) => auditRun(trx, door, ledger!, result, clock()));
  return result;
}

function addError(result: MeasurementFileResult, error: RowError): void {
  result.errorCount++;
  if (result.errors.length < MAX_RESULT_ERRORS) result.errors.push(error);
}

function unknownChannel(sample: ParsedSample, machine: string, channels: readonly Channel[]): string {
  const known = channels.map((c) => c.key).join(', ') || 'none yet: add them under Admin → Channels';
  return `column '${sample.channel}' matches no channel of ${machine} by key, name or file name (its channels: ${known}); its values were not stored`;
}

async function auditRun(trx: Tx, door: MeasurementDoor, ledger: repo.MeasurementFileRow, result: MeasurementFileResult, now: number): Promise<void> {
  await appendAudit(
    trx,
    {
      ...door.who,
      entity: 'measurement-file',
      entityKey: `${ledger.machine}/${ledger.name}`,
      action: door.action,
      before: null,
      after: { file: ledger.name, machine: ledger.machine, fileId: ledger.id, stored: result.stored, duplicates: result.duplicates, errors: result.errorCount, consumedBytes: ledger.consumedBytes, channels: result.channels },
    },
    now,
  );
}

/**
 * The audit entry for what a live stream (MQTT) stored on a machine since its last entry: live
 * samples are audited in summary at most every few minutes, never one entry per message.
 */
export async function auditStream(db: Db, door: MeasurementDoor, machine: string, stream: string, stored: { samples: number; messages: number; channels: Record<string, number> }, now: number): Promise<void> {
  await inTransaction(db, (trx) =>
    appendAudit(trx, { ...door.who, entity: 'measurement-stream', entityKey: `${machine}/${stream}`, action: door.action, before: null, after: { machine, stream, ...stored } }, now),
  );
}

/** MQTT: one message's samples, one transaction (no ledger: the unique instant per channel is the dedupe). */
async function ingestSamples(ctx: MeasurementContext, delivery: SampleDelivery): Promise<MeasurementFileResult> {
  const result = emptyResult(delivery.name, 'csv');
  const channels = await channelRepo.listChannels(ctx.db, delivery.machine);
  const byKey = new Map(channels.map((c) => [c.key, c]));
  const samples: Batch['samples'] = [];
  for (const s of delivery.samples) {
    const channel = byKey.get(s.channel);
    if (channel) samples.push({ channel, at: s.at, value: s.value, line: 0 });
    else addError(result, { file: delivery.name, line: 0, message: `no channel '${s.channel}' on ${delivery.machine}` });
  }
  await inTransaction(ctx.db, async (trx) => {
    Object.assign(result, { channels: {}, firstAt: null, lastAt: null }); // a retried attempt starts afresh
    const [stored, duplicates] = await storeSamples(trx, null, samples, result);
    result.stored = stored;
    result.duplicates = duplicates;
  });
  return result;
}

/** sha256 of bytes [0, end) of a source. */
async function hashRange(source: IngestSource, end: number): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of source.read(0, end)) hash.update(chunk);
  return hash.digest('hex');
}

/** Running sha256 of a stream's prefix, digested at any offset already fed. */
class PrefixHasher {
  private readonly hash: Hash = createHash('sha256');
  private hashed = 0;
  private chunks: Buffer[] = [];

  add(chunk: Buffer): void {
    this.chunks.push(chunk);
  }

  digestAt(offset: number): string {
    while (this.hashed < offset && this.chunks.length) {
      const chunk = this.chunks[0];
      const take = Math.min(chunk.length, offset - this.hashed);
      this.hash.update(chunk.subarray(0, take));
      this.hashed += take;
      if (take === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(take);
    }
    return this.hash.copy().digest('hex');
  }
}
