// One runner per background job across instances (issue 17 item 3). Each instance has a keeper
// that, every `renewMs`, takes or renews the lease of each of its jobs in the database; a job runs
// on the instance holding its lease and is stopped there the moment a renewal fails (the database
// unreachable, or another instance took it after this one stalled). A dead holder's lease expires
// `ttlMs` after its last renewal, and another instance takes it at its next tick: takeover within
// ttl + renew (10 s + 3 s by default, under the 15 s promised). On close, jobs stop and leases are
// released, so a restart hands them over at once.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Db, DialectName } from '../../db/database.js';
import { acquireOrRenew, ensureLeaseRows, releaseLease } from './repository.js';

/** A job's running instance: stopping it finishes what it is doing. */
export interface RunningJob {
  close(): Promise<void>;
}

export interface LeasedJob {
  /** the lease's name, e.g. "drop-folder-watcher" */
  name: string;
  start(): Promise<RunningJob>;
}

export interface LeaseKeeperOptions {
  db: Db;
  dialect: DialectName;
  jobs: readonly LeasedJob[];
  /** this instance's id in the lease table (default host:pid:random) */
  holder?: string;
  ttlMs?: number;
  renewMs?: number;
  log: { info(message: string): void; error(message: string): void };
}

export const DEFAULT_LEASE_TTL_MS = 10_000;
export const DEFAULT_LEASE_RENEW_MS = 3_000;

export function instanceId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

export class LeaseKeeper {
  readonly holder: string;
  private readonly running = new Map<string, RunningJob>();
  /** jobs being started or stopped: a tick never starts a job twice */
  private readonly busy = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private closed = false;
  private rowsEnsured = false;

  constructor(private readonly options: LeaseKeeperOptions) {
    this.holder = options.holder ?? instanceId();
  }

  /** The jobs this instance runs now. */
  held(): string[] {
    return [...this.running.keys()].sort();
  }

  async start(): Promise<void> {
    await this.tick();
    this.timer = setInterval(() => void this.tick(), this.options.renewMs ?? DEFAULT_LEASE_RENEW_MS);
    this.timer.unref();
  }

  /** One round: renew or take every lease, start what was won, stop what was lost. */
  tick(): Promise<void> {
    if (this.ticking || this.closed) return this.ticking ?? Promise.resolve();
    this.ticking = this.round().finally(() => {
      this.ticking = null;
    });
    return this.ticking;
  }

  private async round(): Promise<void> {
    const { db, dialect, log } = this.options;
    const ttl = this.options.ttlMs ?? DEFAULT_LEASE_TTL_MS;
    if (!this.rowsEnsured) {
      await ensureLeaseRows(db, dialect, this.options.jobs.map((job) => job.name));
      this.rowsEnsured = true;
    }
    for (const job of this.options.jobs) {
      if (this.closed) return;
      let held: boolean;
      try {
        held = await acquireOrRenew(db, dialect, job.name, this.holder, ttl);
      } catch (error) {
        // cannot tell: another instance may take it once it expires, so stop running it here
        held = false;
        log.error(`lease ${job.name}: ${(error as Error).message}`);
      }
      const running = this.running.get(job.name);
      if (held && !running && !this.busy.has(job.name)) await this.startJob(job);
      else if (!held && running) await this.stopJob(job.name, running, 'lease lost');
    }
  }

  private async startJob(job: LeasedJob): Promise<void> {
    this.busy.add(job.name);
    try {
      this.running.set(job.name, await job.start());
      this.options.log.info(`job ${job.name}: running on this instance (${this.holder})`);
    } catch (error) {
      this.options.log.error(`job ${job.name} could not start: ${(error as Error).message}`);
      // give the lease back so another instance can try
      await releaseLease(this.options.db, job.name, this.holder).catch(() => undefined);
    } finally {
      this.busy.delete(job.name);
    }
  }

  private async stopJob(name: string, running: RunningJob, why: string): Promise<void> {
    this.running.delete(name);
    this.busy.add(name);
    try {
      await running.close();
      this.options.log.info(`job ${name}: stopped on this instance (${why})`);
    } catch (error) {
      this.options.log.error(`job ${name} did not stop cleanly: ${(error as Error).message}`);
    } finally {
      this.busy.delete(name);
    }
  }

  /** Stops every job this instance runs and gives their leases back. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.ticking;
    for (const [name, running] of [...this.running]) {
      await this.stopJob(name, running, 'shutting down');
      await releaseLease(this.options.db, name, this.holder).catch((error: unknown) => this.options.log.error(`lease ${name} not released: ${(error as Error).message}`));
    }
  }
}
