// Checkpoints of the chain head OUTSIDE the database (issue 16 item 1): an append-only file in the
// data folder, one JSON line per checkpoint, each HMAC-signed. Whoever can write the database but not
// this file cannot truncate the trail (delete the last entries and rewind the head) or rewrite its
// history without the verifier seeing that the trail no longer reaches, or no longer matches, what
// was checkpointed. Only the instance that holds the audit job writes (AuditCheckpointJob).
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DateTime } from 'luxon';
import type { Db } from '../../db/database.js';
import { macOf, sameMac, type AuditKeyring } from './keys.js';
import { lastAuditEntry, readAuditHead, ZERO_HASH } from './repository.js';

export const CHECKPOINT_FILE = 'audit-checkpoints.jsonl';
export const checkpointPath = (dataDir: string): string => join(dataDir, CHECKPOINT_FILE);

export type CheckpointReason = 'start' | 'every' | 'interval' | 'shutdown';

export interface Checkpoint {
  /** chain position of the last entry (= entries in the trail) */
  seq: number;
  lastId: number;
  hash: string;
  count: number;
  /** when, with the plant's zone offset */
  at: string;
  /** the anchor the trail was checkpointed under (a rewritten anchor shows) */
  anchorSeq: number;
  anchorAt: number;
  reason: CheckpointReason;
  keyId: string;
  mac: string;
}

type Unsigned = Omit<Checkpoint, 'mac'>;
// a fixed field order: the MAC covers the same text whatever order JSON.parse hands the fields back in
const signedText = (c: Unsigned) => JSON.stringify([c.seq, c.lastId, c.hash, c.count, c.at, c.anchorSeq, c.anchorAt, c.reason, c.keyId]);

export interface CheckpointRead {
  checkpoints: Checkpoint[];
  /** the first line that is not an authentic checkpoint (1-based), or null */
  bad: { line: number; why: string } | null;
  /** false: there is no checkpoint file */
  present: boolean;
}

/** Reads and authenticates every checkpoint of the file (a few lines per thousand entries: read whole). */
export function readCheckpoints(path: string, keyring: AuditKeyring): CheckpointRead {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { checkpoints: [], bad: null, present: false };
    throw error;
  }
  const checkpoints: Checkpoint[] = [];
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const number = index + 1;
    let value: Checkpoint;
    try {
      value = JSON.parse(line) as Checkpoint;
    } catch {
      return { checkpoints, bad: { line: number, why: 'is not JSON' }, present: true };
    }
    const key = keyring.byId.get(String(value.keyId));
    if (!key) return { checkpoints, bad: { line: number, why: `is signed with key ${value.keyId}, which is not among the configured keys` }, present: true };
    if (!sameMac(typeof value.mac === 'string' ? value.mac : null, macOf(key, signedText(value)))) return { checkpoints, bad: { line: number, why: 'does not match its signature (edited)' }, present: true };
    checkpoints.push(value);
  }
  return { checkpoints, bad: null, present: true };
}

/** Appends one signed line and forces it to disk before returning. */
export function appendCheckpoint(path: string, keyring: AuditKeyring, checkpoint: Omit<Unsigned, 'keyId'>): Checkpoint {
  const unsigned: Unsigned = { ...checkpoint, keyId: keyring.current.id };
  const line: Checkpoint = { ...unsigned, mac: macOf(keyring.current, signedText(unsigned)) };
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'a', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(line)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return line;
}

/** The checkpoint of the trail as the database has it now. */
export async function currentCheckpoint(db: Db, zone: string, reason: CheckpointReason, now: number): Promise<Omit<Unsigned, 'keyId'>> {
  const head = await readAuditHead(db);
  const last = await lastAuditEntry(db);
  const anchor = head.anchor;
  const seq = last?.seq ?? anchor?.seq ?? 0;
  return {
    seq, lastId: last?.id ?? 0, hash: last?.hash ?? ZERO_HASH, count: seq,
    at: DateTime.fromMillis(now, { zone }).toISO({ suppressMilliseconds: false }) ?? new Date(now).toISOString(),
    anchorSeq: anchor?.seq ?? 0, anchorAt: anchor?.at ?? 0, reason,
  };
}

export interface CheckpointJobOptions {
  db: Db;
  keyring: AuditKeyring;
  file: string;
  zone: string;
  /** a checkpoint every this many new entries */
  every: number;
  /** and, when anything new was written, at least this often (ms) — bounds what a truncation can take unseen */
  maxAgeMs?: number;
  /** how often the head is looked at (ms) */
  pollMs?: number;
  clock?: () => number;
  onError: (error: unknown) => void;
}

/**
 * The one writer of checkpoints. `serve` starts it; with several instances only one may run it —
 * issue 17 puts `start`/`stop` under the database lease of background jobs (this class is that seam:
 * whoever holds the lease calls start, losing it calls stop).
 */
export class AuditCheckpointJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private last: { seq: number; at: number } | null = null;
  private readonly clock: () => number;

  constructor(private readonly options: CheckpointJobOptions) {
    this.clock = options.clock ?? Date.now;
  }

  /** Writes a checkpoint now (start, shutdown) or when due (the timer). Returns it, or null when none was due. */
  async runOnce(reason: CheckpointReason | 'poll' = 'poll'): Promise<Checkpoint | null> {
    const now = this.clock();
    const state = await currentCheckpoint(this.options.db, this.options.zone, reason === 'poll' ? 'every' : reason, now);
    if (reason === 'poll') {
      if (!this.last || state.seq === this.last.seq) return null;
      const dueByCount = state.seq - this.last.seq >= this.options.every;
      const dueByAge = now - this.last.at >= (this.options.maxAgeMs ?? 10 * 60_000);
      if (!dueByCount && !dueByAge) return null;
      state.reason = dueByCount ? 'every' : 'interval';
    }
    const written = appendCheckpoint(this.options.file, this.options.keyring, state);
    this.last = { seq: state.seq, at: now };
    return written;
  }

  async start(): Promise<void> {
    await this.runOnce('start');
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.runOnce('poll')
        .catch(this.options.onError)
        .finally(() => {
          this.running = null;
        });
    }, this.options.pollMs ?? 5_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    await this.runOnce('shutdown');
  }
}
