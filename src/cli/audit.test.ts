// `qmfg audit verify` end to end through the real CLI entry in a child process, on each database:
// an attacker with write access to the database (but not the key or the data folder) edits an entry,
// deletes one and re-links the chain, or truncates the tail and rewinds the head — recomputing every
// plain hash with the old formula each time — and the verifier names the entry; an intact trail
// passes with its count; rotated keys keep old entries verifiable; a wrong key fails.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/database.js';
import { inTransaction } from '../db/transaction.js';
import { appendAudit, entryHash } from '../features/audit/repository.js';
import { AuditCheckpointJob, checkpointPath } from '../features/audit/checkpoints.js';
import { installAuditKeyring, keyringOf } from '../features/audit/keys.js';
import { createTestDatabase, DIALECTS, TEST_AUDIT_KEY, type TestDatabase } from '../testing/databases.js';
import { runQmfg } from '../testing/cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ZONE = 'America/Los_Angeles';
const NEW_KEY = 'rotated-audit-key-fedcba9876543210fedcba9876543210';

const qmfg = (args: string[], env: Record<string, string>) => runQmfg(args, env);

type Row = Record<string, unknown> & { id: number };

/** What an attacker with database access does after a change: recompute every plain hash from `fromId` on, and the head. */
async function recomputePlainChain(db: Db): Promise<void> {
  const rows = await db.selectFrom('audit_log').selectAll().orderBy('id').execute();
  let prev = '0'.repeat(64);
  for (const r of rows) {
    const hash = entryHash({ prevHash: prev, at: Number(r.at), actor: r.actor, entity: r.entity, entityKey: r.entity_key, action: r.action, before: r.before, after: r.after, reason: r.reason, source: r.source });
    if (hash !== r.hash || prev !== r.prev_hash) await db.updateTable('audit_log').set({ prev_hash: prev, hash }).where('id', '=', r.id).execute();
    prev = hash;
  }
  await db.updateTable('audit_head').set({ hash: prev }).where('id', '=', 1).execute();
}

async function ids(db: Db): Promise<number[]> {
  return (await db.selectFrom('audit_log').select('id').orderBy('id').execute()).map((r) => Number(r.id));
}

describe.each(DIALECTS)('qmfg audit verify on %s', (dialect) => {
  let database: TestDatabase;
  let env: Record<string, string>;
  let backup: { rows: Row[]; head: Record<string, unknown>; checkpoints: string };
  const verify = (extra: Record<string, string> = {}) => qmfg(['audit', 'verify', '--json'], { ...env, ...extra });

  beforeAll(async () => {
    database = await createTestDatabase(dialect, 'audit-cli');
    env = { DATABASE_URL: database.url, QMFG_DATA_DIR: database.config.QMFG_DATA_DIR, QMFG_AUDIT_KEY: TEST_AUDIT_KEY, QMFG_TZ: ZONE, LOG_LEVEL: 'silent' };
    const start = Date.parse('2026-12-04T14:30:00Z');
    for (let i = 0; i < 12; i++) {
      await inTransaction(database.db, (trx) =>
        appendAudit(trx, { actor: i % 2 ? 'alice' : 'bob', entity: 'work-order', entityKey: `1590${70 + i}`, action: 'update', before: { quantity: 1000 + i }, after: { quantity: 2000 + i }, reason: 'count corrected', source: 'test' }, start + i * 60_000),
      );
    }
    // the server's checkpoint job has seen the whole trail
    const job = new AuditCheckpointJob({ db: database.db, keyring: keyringOf([TEST_AUDIT_KEY], 'test'), file: checkpointPath(database.config.QMFG_DATA_DIR), zone: ZONE, every: 1000, onError: (e) => { throw e; } });
    await job.runOnce('start');
    backup = {
      rows: (await database.db.selectFrom('audit_log').selectAll().orderBy('id').execute()) as unknown as Row[],
      head: (await database.db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow()) as unknown as Record<string, unknown>,
      checkpoints: readFileSync(checkpointPath(database.config.QMFG_DATA_DIR), 'utf8'),
    };
  }, 120_000);

  afterAll(async () => {
    installAuditKeyring(keyringOf([TEST_AUDIT_KEY], 'test'));
    await database?.destroy();
  });

  /** Back to the intact trail, as a restore from backup would. */
  async function restore(): Promise<void> {
    await database.db.deleteFrom('audit_log').execute();
    for (const row of backup.rows) await database.db.insertInto('audit_log').values(row as never).execute();
    await database.db.updateTable('audit_head').set(backup.head as never).where('id', '=', 1).execute();
    writeFileSync(checkpointPath(database.config.QMFG_DATA_DIR), backup.checkpoints);
  }

  it('an intact trail passes: exit 0 and the entry count', async () => {
    const res = await verify();
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout);
    expect(out).toMatchObject({ ok: true, entries: 12, brokenAt: null, checkpoints: 1, problem: null });
    const text = await qmfg(['audit', 'verify'], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('audit trail intact: 12 entries, 1 checkpoints');
  }, 60_000);

  it('an edited entry with the whole plain-hash chain and head recomputed: exit 1 naming the entry', async () => {
    const [, , , , fifth] = await ids(database.db);
    await database.db.updateTable('audit_log').set({ after: JSON.stringify({ quantity: 9999 }) }).where('id', '=', fifth).execute();
    await recomputePlainChain(database.db);
    const res = await verify();
    expect(res.code).toBe(1);
    const out = JSON.parse(res.stdout);
    expect(out.ok).toBe(false);
    expect(out.brokenAt).toBe(fifth);
    expect(out.problem).toMatchObject({ kind: 'content', entryId: fifth, message: 'hash does not match its content' });
    // the time carries the plant's offset (14:34 UTC is 06:34 PST)
    expect(out.problem.at).toBe('2026-12-04T06:34:00.000-08:00');
    const text = await qmfg(['audit', 'verify'], env);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`entry ${fifth} (2026-12-04T06:34:00.000-08:00): hash does not match its content`);
    await restore();
    expect((await verify()).code).toBe(0);
  }, 60_000);

  it('a deleted middle entry with the chain re-linked: exit 1 naming the entry after the gap', async () => {
    const list = await ids(database.db);
    await database.db.deleteFrom('audit_log').where('id', '=', list[5]).execute();
    // the next entry's prev_hash rewritten to the entry before the deleted one, all later ones recomputed
    await recomputePlainChain(database.db);
    const res = await verify();
    expect(res.code).toBe(1);
    const out = JSON.parse(res.stdout);
    expect(out.brokenAt).toBe(list[6]);
    expect(out.problem.kind).toBe('missing');
    expect(out.problem.message).toMatch(/^links to a missing previous entry/);
    await restore();
  }, 60_000);

  it('a truncated tail with the head rewound: exit 1, entries after id N are missing (checkpoint at …)', async () => {
    const list = await ids(database.db);
    const kept = list.slice(0, 9);
    await database.db.deleteFrom('audit_log').where('id', '>', kept[8]).execute();
    const last = await database.db.selectFrom('audit_log').select(['hash', 'seq']).where('id', '=', kept[8]).executeTakeFirstOrThrow();
    await database.db.updateTable('audit_head').set({ seq: Number(last.seq), hash: last.hash }).where('id', '=', 1).execute();
    const res = await verify();
    expect(res.code).toBe(1);
    const out = JSON.parse(res.stdout);
    expect(out.problem.kind).toBe('truncated');
    expect(out.brokenAt).toBe(kept[8]);
    expect(out.problem.message).toMatch(new RegExp(`^entries after id ${kept[8]} are missing \\(checkpoint at 2026-.*recorded 12 entries`));
    await restore();
  }, 60_000);

  it('key rotation keeps old entries verifiable; a wrong key fails', async () => {
    // the plant rotates: the new key signs new entries, the old one is kept as retired
    installAuditKeyring(keyringOf([NEW_KEY, TEST_AUDIT_KEY], 'QMFG_AUDIT_KEY'));
    await inTransaction(database.db, (trx) => appendAudit(trx, { actor: 'carol', entity: 'machine', entityKey: 'line7', action: 'update', before: { enabled: true }, after: { enabled: false } }));
    const rotated = await verify({ QMFG_AUDIT_KEY: `${NEW_KEY},${TEST_AUDIT_KEY}` });
    expect(rotated.code).toBe(0);
    expect(JSON.parse(rotated.stdout)).toMatchObject({ ok: true, entries: 13 });
    // without the retired key, the old part cannot be verified
    const newOnly = await verify({ QMFG_AUDIT_KEY: NEW_KEY });
    expect(newOnly.code).toBe(1);
    // (the checkpoint file, read first, was signed with the retired key too)
    expect(JSON.parse(newOnly.stdout).problem.message).toMatch(/signed with key [0-9a-f]{8}, which is not among the configured keys/);
    // a wrong key: nothing verifies
    const wrong = await verify({ QMFG_AUDIT_KEY: 'someone-elses-key-000000000000000000000000' });
    expect(wrong.code).toBe(1);
    expect(JSON.parse(wrong.stdout).ok).toBe(false);
    // a key too short is refused by the configuration, in one line, without echoing it
    const short = await verify({ QMFG_AUDIT_KEY: 'short-key' });
    expect(short.code).toBe(1);
    expect(short.stderr.trim()).toBe('qmfg: QMFG_AUDIT_KEY: key 1 is 9 characters; each key needs at least 32 (e.g. openssl rand -hex 32)');
    installAuditKeyring(keyringOf([TEST_AUDIT_KEY], 'test'));
    await restore();
  }, 60_000);
});
