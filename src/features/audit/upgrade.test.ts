// An audit trail written before the keyed scheme (issue 16 item 3): the first start after the
// migration signs an anchor of the old head (idempotently); the old part is still verified with the
// old formula up to the anchor, the new part with the key; rewriting the old part (plain chain
// recomputed) is caught at the anchor; a removed anchor is not silently re-signed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../db/connect.js';
import { migrateToLatest, migrateUpTo } from '../../db/migrate.js';
import { inTransaction } from '../../db/transaction.js';
import { AuditCheckpointJob, checkpointPath } from './checkpoints.js';
import { prepareAuditTrail } from './integrity.js';
import { installAuditKeyring } from './keys.js';
import { appendAudit, entryHash, readAuditHead } from './repository.js';
import { verifyAuditTrail } from './verify.js';

const KEY = 'upgrade-test-key-0123456789abcdef0123456789';

describe('upgrading a plain-hash trail to the keyed scheme', () => {
  const folder = mkdtempSync(join(tmpdir(), 'qmfg-upgrade-'));
  const config = { QMFG_AUDIT_KEY: [KEY], QMFG_DATA_DIR: folder };
  let handle: DatabaseHandle;
  beforeAll(async () => {
    installAuditKeyring(null);
    handle = await openDatabase(`sqlite:${join(folder, 'qmfg.db')}`);
    await migrateUpTo(handle.db, '20261203_29_pinned_operations');
    // the trail as the code before issue 16 wrote it
    let prev = '0'.repeat(64);
    for (let i = 0; i < 5; i++) {
      const row = { at: 1_764_000_000_000 + i, actor: 'old', entity: 'work-order', entity_key: `15907${i}`, action: 'update', before: null, after: JSON.stringify({ quantity: i }), reason: null, source: null, prev_hash: prev };
      const hash = entryHash({ prevHash: prev, at: row.at, actor: row.actor, entity: row.entity, entityKey: row.entity_key, action: row.action, before: row.before, after: row.after, reason: row.reason, source: row.source });
      await handle.db.insertInto('audit_log').values({ ...row, hash } as never).execute();
      await handle.db.updateTable('audit_head').set((eb) => ({ seq: eb('seq', '+', 1), hash })).where('id', '=', 1).execute();
      prev = hash;
    }
    await migrateToLatest(handle.db);
  });
  afterAll(async () => {
    await handle.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('the first start anchors the old head once; old and new parts verify together', async () => {
    expect((await readAuditHead(handle.db)).anchor).toBeNull();
    expect((await verifyAuditTrail(handle.db, { keyring: null })).problem?.kind).toBe('no-key');
    const { anchor, keyring } = await prepareAuditTrail(handle.db, config, 1_764_100_000_000);
    expect(anchor).toMatchObject({ seq: 5, at: 1_764_100_000_000 });
    // idempotent: a second start keeps the anchor
    expect((await prepareAuditTrail(handle.db, config, 1_764_200_000_000)).anchor).toEqual(anchor);
    await inTransaction(handle.db, (trx) => appendAudit(trx, { actor: 'new', entity: 'machine', entityKey: 'line7', action: 'update', after: { enabled: false } }));
    await new AuditCheckpointJob({ db: handle.db, keyring, file: checkpointPath(folder), zone: 'UTC', every: 1000, onError: () => undefined }).runOnce('start');
    const result = await verifyAuditTrail(handle.db, { checkpointFile: checkpointPath(folder) });
    expect(result).toMatchObject({ ok: true, entries: 6, checkpoints: 1 });
    const last = await handle.db.selectFrom('audit_log').select(['seq', 'key_id']).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(Number(last.seq)).toBe(6);
    expect(last.key_id).toBe(keyring.current.id);
  });

  it('the old part rewritten with its plain chain recomputed is caught at the anchor', async () => {
    const rows = await handle.db.selectFrom('audit_log').selectAll().orderBy('id').execute();
    const original = rows.map((r) => ({ id: r.id, after: r.after, prev_hash: r.prev_hash, hash: r.hash }));
    let prev = '0'.repeat(64);
    for (const r of rows.slice(0, 5)) {
      const after = r.id === rows[1].id ? JSON.stringify({ quantity: 999 }) : r.after;
      const hash = entryHash({ prevHash: prev, at: Number(r.at), actor: r.actor, entity: r.entity, entityKey: r.entity_key, action: r.action, before: r.before, after, reason: r.reason, source: r.source });
      await handle.db.updateTable('audit_log').set({ after, prev_hash: prev, hash }).where('id', '=', r.id).execute();
      prev = hash;
    }
    const result = await verifyAuditTrail(handle.db);
    expect(result.ok).toBe(false);
    expect(result.problem).toMatchObject({ kind: 'rewritten', entryId: Number(rows[4].id) });
    for (const o of original) await handle.db.updateTable('audit_log').set({ after: o.after, prev_hash: o.prev_hash, hash: o.hash }).where('id', '=', o.id).execute();
    expect((await verifyAuditTrail(handle.db)).ok).toBe(true);
  });

  it('a removed anchor fails verification and is not re-signed at the next start', async () => {
    const head = await handle.db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
    await handle.db.updateTable('audit_head').set({ anchor_seq: null, anchor_hash: null, anchor_at: null, anchor_key_id: null, anchor_mac: null }).where('id', '=', 1).execute();
    expect((await verifyAuditTrail(handle.db)).problem?.kind).toBe('anchor');
    await expect(prepareAuditTrail(handle.db, config)).rejects.toThrow(/anchor was removed/);
    await handle.db.updateTable('audit_head').set(head as never).where('id', '=', 1).execute();
    expect((await verifyAuditTrail(handle.db, { checkpointFile: checkpointPath(folder) })).ok).toBe(true);
  });
});
