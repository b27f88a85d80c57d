// The audit trail's jobs on a running server and the clock check at start (issue 16 items 1 and 5),
// on each database: the clocks compared with a real query of the database's clock, the decision
// taken on real readings, a start that succeeds; checkpoints at start and shutdown; a failed
// verification raises an alert and the next pass resolves it; a clock step becomes an audit entry.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareClocks } from '../core/clock/index.js';
import { databaseClockMs } from '../db/clock.js';
import { inTransaction } from '../db/transaction.js';
import { appendAudit, entryHash, listAudit } from '../features/audit/repository.js';
import { checkpointPath } from '../features/audit/checkpoints.js';
import { ClockStepWatcher } from '../features/audit/clock-steps.js';
import { installedAuditKeyring } from '../features/audit/keys.js';
import { listVerifications } from '../features/audit/verifications-repository.js';
import { verifyAuditTrail } from '../features/audit/verify.js';
import { openAlerts } from '../features/alerts/alerts-repository.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../testing/databases.js';
import { AUDIT_ALERT_KIND, assertClockAgreesWithDatabase, compareWithDatabaseClock, startAuditJobs } from './audit-jobs.js';
import { prepareDatabase } from './runtime.js';

describe.each(DIALECTS)('audit jobs and the clock check on %s', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(dialect, 'audit-jobs');
  }, 60_000);
  afterAll(async () => database?.destroy());

  it("compares the server's clock with the database's own (a real query), and decides on real readings", async () => {
    const real = await compareWithDatabaseClock(database.db, dialect, 120);
    expect(real.ok).toBe(true);
    expect(Math.abs(real.offsetSeconds)).toBeLessThan(5);
    // the same real database reading against a server clock an hour ahead, and one within tolerance
    const databaseMs = await databaseClockMs(database.db, dialect);
    const ahead = compareClocks(Date.now() + 3_600_000, databaseMs, 120);
    expect(ahead.ok).toBe(false);
    expect(ahead.offsetSeconds).toBeGreaterThan(3_590);
    expect(ahead.message).toMatch(/^the server's clock is 36\d\d\.\d s ahead of the database's \(QMFG_CLOCK_TOLERANCE_SECONDS=120\)/);
    expect(compareClocks(Date.now() - 200_000, databaseMs, 120).message).toMatch(/s behind the database's/);
    expect(compareClocks(Date.now(), databaseMs, 120).ok).toBe(true);
    // SQLite is this machine's clock: not compared
    expect(await assertClockAgreesWithDatabase(database.db, dialect, 120)).toEqual(dialect === 'sqlite' ? null : expect.objectContaining({ ok: true }));
  });

  it('a start with the default tolerance succeeds (clock checked, migrated, trail anchored)', async () => {
    const handle = await prepareDatabase(database.config, false);
    try {
      expect(installedAuditKeyring()).not.toBeNull();
      expect((await verifyAuditTrail(handle.db)).ok).toBe(true);
    } finally {
      await handle.close();
    }
  }, 60_000);

  it('checkpoints at start and shutdown; a failed verification raises an alert, the next pass resolves it', async () => {
    for (let i = 0; i < 3; i++) {
      await inTransaction(database.db, (trx) => appendAudit(trx, { actor: 'dana', entity: 'machine', entityKey: 'line7', action: 'update', before: { enabled: true }, after: { enabled: i % 2 === 0 } }));
    }
    const jobs = await startAuditJobs({ db: database.db, config: database.config, keyring: installedAuditKeyring()!, log: { info: () => undefined, error: () => undefined }, firstVerifyDelayMs: 60_000 });
    try {
      const first = await jobs.verification.runOnce('start');
      expect(first).toMatchObject({ ok: true, checkpoints: 1 });
      // someone edits an entry in the database and recomputes its plain hash
      const [entry] = await listAudit(database.db, { entityKey: 'line7', limit: 1 });
      const row = await database.db.selectFrom('audit_log').selectAll().where('id', '=', entry.id).executeTakeFirstOrThrow();
      const after = JSON.stringify({ enabled: 'tampered' });
      const hash = entryHash({ prevHash: row.prev_hash, at: Number(row.at), actor: row.actor, entity: row.entity, entityKey: row.entity_key, action: row.action, before: row.before, after, reason: row.reason, source: row.source });
      await database.db.updateTable('audit_log').set({ after, hash }).where('id', '=', entry.id).execute();
      const failed = await jobs.verification.runOnce('daily');
      expect(failed.ok).toBe(false);
      expect(failed.brokenAt).toBe(entry.id);
      const alerts = (await openAlerts(database.db)).filter((a) => a.kind === AUDIT_ALERT_KIND);
      expect(alerts).toHaveLength(1);
      expect(alerts[0].message).toContain(`entry ${entry.id}`);
      const runs = await listVerifications(database.db, 2);
      expect(runs.map((r) => [r.origin, r.ok, r.badEntryId])).toEqual([['daily', false, entry.id], ['start', true, null]]);
      // restored from the untampered values: the next pass resolves the alert
      await database.db.updateTable('audit_log').set({ after: row.after, hash: row.hash }).where('id', '=', entry.id).execute();
      expect((await jobs.verification.runOnce('daily')).ok).toBe(true);
      expect((await openAlerts(database.db)).filter((a) => a.kind === AUDIT_ALERT_KIND)).toHaveLength(0);
    } finally {
      await jobs.close();
    }
    const lines = readFileSync(checkpointPath(database.config.QMFG_DATA_DIR), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.reason).slice(-2)).toEqual(['start', 'shutdown']);
    expect(lines[lines.length - 1].at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}-0[78]:00$/);
  }, 60_000);

  it('a step of the wall clock against the monotonic clock is an audit entry; drift is not', async () => {
    let shift = 0;
    const watcher = new ClockStepWatcher(database.db, { onError: (e) => { throw e; }, reading: () => ({ wallMs: Date.now() + shift, monotonicMs: performance.now() }) });
    expect(await watcher.check()).toBeNull();
    shift = 90_000;
    const step = await watcher.check();
    expect(step).toBeGreaterThan(89_000);
    const [entry] = await listAudit(database.db, { entity: 'system', limit: 1 });
    expect(entry).toMatchObject({ actor: 'system', entity: 'system', action: 'clock-step' });
    expect((entry.after as { stepSeconds: number }).stepSeconds).toBeCloseTo(90, 0);
    expect(await watcher.check()).toBeNull();
    expect((await verifyAuditTrail(database.db)).ok).toBe(true);
  });
});
