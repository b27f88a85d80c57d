// Verifying an audit trail of 1 000 000 entries (issue 16: < 30 s), SQLite file database. The
// entries are built with the trail's own functions (entryHash, entryMac: what appendAudit computes)
// and written in bulk in one transaction — appendAudit one by one would take the bench's minutes
// to build, not to verify. Printed next to it: a plain keyset SELECT scan of the same rows in the
// same batches, the floor any verification of the stored trail stands on.
import { bulkInsert } from '../src/db/bulk.js';
import { inTransaction } from '../src/db/transaction.js';
import { AuditCheckpointJob, checkpointPath } from '../src/features/audit/checkpoints.js';
import { installedAuditKeyring } from '../src/features/audit/keys.js';
import { auditRowsAfter, entryHash, entryMac, ZERO_HASH } from '../src/features/audit/repository.js';
import { verifyAuditTrail } from '../src/features/audit/verify.js';
import { createTestDatabase } from '../src/testing/databases.js';
import { timeIt, type Figure } from './lib.js';

const ENTRIES = 1_000_000;
const BATCH = 5000;
const COLUMNS = ['at', 'actor', 'entity', 'entity_key', 'action', 'before', 'after', 'reason', 'source', 'prev_hash', 'hash', 'seq', 'key_id', 'mac'];

export default async function auditVerifyBench(): Promise<Figure[]> {
  const database = await createTestDatabase('sqlite', 'bench-audit');
  try {
    const { db, config } = database;
    const keyring = installedAuditKeyring()!;
    const built = await timeIt(() =>
      inTransaction(db, async (trx) => {
        let prev = ZERO_HASH;
        const start = Date.UTC(2026, 0, 1);
        for (let from = 0; from < ENTRIES; from += 10_000) {
          const rows: unknown[][] = [];
          for (let i = from; i < Math.min(ENTRIES, from + 10_000); i++) {
            const seq = i + 1;
            const row = {
              at: start + i * 30_000, actor: i % 7 === 0 ? 'system' : `user${i % 40}`, entity: 'work-order', entityKey: `${159_000 + (i % 5000)}`, action: i % 3 ? 'update' : 'counts',
              before: JSON.stringify({ step: i % 4, produced: i }), after: JSON.stringify({ step: i % 4, produced: i + 120, good: i + 118 }), reason: i % 50 === 0 ? 'count corrected' : null, source: 'bench',
            };
            const hash = entryHash({ prevHash: prev, ...row });
            rows.push([row.at, row.actor, row.entity, row.entityKey, row.action, row.before, row.after, row.reason, row.source, prev, hash, seq, keyring.current.id, entryMac(keyring.current, seq, hash)]);
            prev = hash;
          }
          await bulkInsert(trx, 'audit_log', COLUMNS, rows);
        }
        await trx.updateTable('audit_head').set({ seq: ENTRIES, hash: prev }).where('id', '=', 1).execute();
      }),
    );
    console.error(`audit-verify: built ${ENTRIES.toLocaleString('en-US')} entries in ${(built.ms / 1000).toFixed(1)} s`);
    const file = checkpointPath(config.QMFG_DATA_DIR);
    await new AuditCheckpointJob({ db, keyring, file, zone: config.QMFG_TZ, every: 1000, onError: () => undefined }).runOnce('start');

    const scan = await timeIt(async () => {
      let seen = 0;
      let after = 0;
      for (;;) {
        const batch = await auditRowsAfter(db, after, BATCH);
        seen += batch.length;
        if (batch.length < BATCH) return seen;
        after = batch[batch.length - 1].id;
      }
    });
    const verified = await timeIt(() => verifyAuditTrail(db, { keyring, checkpointFile: file, zone: config.QMFG_TZ, batchSize: BATCH }));
    if (!verified.result.ok || verified.result.entries !== ENTRIES || scan.result !== ENTRIES) {
      throw new Error(`audit-verify: expected an intact trail of ${ENTRIES} entries, got ${JSON.stringify(verified.result.problem)} / ${verified.result.entries} / scan ${scan.result}`);
    }
    console.error(`audit-verify: verify ${(verified.ms / 1000).toFixed(2)} s (target < 30 s), plain SELECT scan ${(scan.ms / 1000).toFixed(2)} s`);
    return [
      { name: 'audit verify, 1 000 000 entries (SQLite file)', value: verified.ms / 1000, unit: 's', target: 30 },
      { name: 'baseline: plain keyset SELECT scan of the same rows', value: scan.ms / 1000, unit: 's', target: 30 },
    ];
  } finally {
    await database.destroy();
  }
}
