// The audit trail's background work on a running server (issue 16 items 1 and 5), wired here
// because it joins two features that do not know each other: audit (below everything) and alerts
// (above audit). Started by `serve` (runtime.ts), one set per instance that holds the audit job:
// - the checkpoint writer (AuditCheckpointJob — the seam issue 17 puts under a lease),
// - the verification: once shortly after start, then every QMFG_AUDIT_VERIFY_HOURS; a failure
//   raises an alert for the administrators, a pass resolves it,
// - the clock-step watcher.
// And before anything: the server's clock compared with the database's.
import type { Config } from '../config.js';
import { ConfigError } from '../config.js';
import { compareClocks, type ClockComparison } from '../core/clock/index.js';
import { databaseClockMs } from '../db/clock.js';
import type { Db, DialectName } from '../db/database.js';
import { AuditCheckpointJob, checkpointPath } from '../features/audit/checkpoints.js';
import { ClockStepWatcher } from '../features/audit/clock-steps.js';
import { verifyAndRecord } from '../features/audit/integrity.js';
import type { AuditKeyring } from '../features/audit/keys.js';
import type { VerificationOrigin } from '../features/audit/verifications-repository.js';
import type { AuditVerification } from '../features/audit/verify.js';
import { raiseSystemNotice, resolveNotice } from '../features/alerts/notices.js';

/** How the server's clock compares with the database's now (the server's reading is the midpoint around the query). */
export async function compareWithDatabaseClock(db: Db, dialect: DialectName, toleranceSeconds: number): Promise<ClockComparison> {
  const before = Date.now();
  const databaseMs = await databaseClockMs(db, dialect);
  const after = Date.now();
  return compareClocks((before + after) / 2, databaseMs, toleranceSeconds);
}

/** Refuses to start (a one-line ConfigError) when the clocks disagree. SQLite runs on this machine: nothing to compare. */
export async function assertClockAgreesWithDatabase(db: Db, dialect: DialectName, toleranceSeconds: number): Promise<ClockComparison | null> {
  if (dialect === 'sqlite') return null;
  const comparison = await compareWithDatabaseClock(db, dialect, toleranceSeconds);
  if (!comparison.ok) throw new ConfigError(comparison.message!);
  return comparison;
}

export const AUDIT_ALERT_KIND = 'audit-trail';

/** The verification on the server's timer: records each run, raises an alert on failure and resolves it on the next pass. */
export class AuditVerificationJob {
  private timers: NodeJS.Timeout[] = [];
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly options: { db: Db; config: Config; keyring: AuditKeyring; firstDelayMs: number; onError: (error: unknown) => void; log: (message: string) => void },
  ) {}

  async runOnce(origin: VerificationOrigin): Promise<AuditVerification> {
    const { db, config, keyring } = this.options;
    const result = await verifyAndRecord(db, { keyring, dataDir: config.QMFG_DATA_DIR, zone: config.QMFG_TZ, origin, actor: 'system' });
    const now = Date.now();
    const settings = { zone: config.QMFG_TZ, publicUrl: config.QMFG_PUBLIC_URL, mail: config.QMFG_SMTP_URL !== '' };
    if (result.ok) {
      await resolveNotice(db, AUDIT_ALERT_KIND, 'audit-trail', now);
    } else {
      const where = result.problem?.entryId ? `entry ${result.problem.entryId} (${result.problem.at})` : 'the trail';
      const message = `Audit trail verification failed: ${where}: ${result.problem?.message ?? 'unknown problem'}`;
      this.options.log(message);
      await raiseSystemNotice(db, settings, { kind: AUDIT_ALERT_KIND, subject: 'audit-trail', message, role: 'admin', since: now }, now);
    }
    return result;
  }

  private run(origin: VerificationOrigin): void {
    if (this.running) return;
    this.running = this.runOnce(origin)
      .catch(this.options.onError)
      .finally(() => {
        this.running = null;
      });
  }

  start(): void {
    const hours = this.options.config.QMFG_AUDIT_VERIFY_HOURS;
    if (hours <= 0) return;
    const first = setTimeout(() => this.run('start'), this.options.firstDelayMs);
    const daily = setInterval(() => this.run('daily'), hours * 3_600_000);
    first.unref();
    daily.unref();
    this.timers.push(first, daily);
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers = [];
    await this.running;
  }
}

export interface AuditJobs {
  checkpoints: AuditCheckpointJob;
  verification: AuditVerificationJob;
  clockSteps: ClockStepWatcher;
  close(): Promise<void>;
}

export async function startAuditJobs(options: {
  db: Db;
  config: Config;
  keyring: AuditKeyring;
  log: { info: (m: string) => void; error: (m: string) => void };
  /** the first verification after start (default 30 s: after the first requests are answered) */
  firstVerifyDelayMs?: number;
}): Promise<AuditJobs> {
  const { db, config, keyring, log } = options;
  const onError = (what: string) => (error: unknown) => log.error(`audit ${what}: ${(error as Error).message ?? String(error)}`);
  const checkpoints = new AuditCheckpointJob({ db, keyring, file: checkpointPath(config.QMFG_DATA_DIR), zone: config.QMFG_TZ, every: config.QMFG_AUDIT_CHECKPOINT_EVERY, onError: onError('checkpoint') });
  await checkpoints.start();
  const verification = new AuditVerificationJob({ db, config, keyring, firstDelayMs: options.firstVerifyDelayMs ?? 30_000, onError: onError('verification'), log: log.error });
  verification.start();
  const clockSteps = new ClockStepWatcher(db, { onError: onError('clock watch') });
  clockSteps.start();
  return {
    checkpoints,
    verification,
    clockSteps,
    async close() {
      await clockSteps.stop();
      await verification.stop();
      // the last checkpoint: what the trail holds at shutdown
      await checkpoints.stop();
    },
  };
}
