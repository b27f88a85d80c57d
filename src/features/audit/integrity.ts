// The trail's integrity as a process sees it at start (issue 16): load and install the keys, sign
// the anchor of a trail written before the keyed scheme (idempotent), and run a verification and
// record it. Used by the server, the CLI commands that write, the CLI verifier and test support.
import type { Config } from '../../config.js';
import type { Db, Executor } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { installAuditKeyring, loadAuditKeyring, type AuditKeyring } from './keys.js';
import { anchorAuditTrail, readAuditHead, type AuditAnchor } from './repository.js';
import { checkpointPath, readCheckpoints } from './checkpoints.js';
import { verifyAuditTrail, type AuditVerification, type VerifyOptions } from './verify.js';
import { recordVerification, type VerificationOrigin } from './verifications-repository.js';

type KeyConfig = Pick<Config, 'QMFG_AUDIT_KEY' | 'QMFG_DATA_DIR'>;

/**
 * Loads the keys (creating the key file when none is configured), installs them for appendAudit
 * and anchors the trail. An anchor is only ever signed once: if the checkpoint file shows this data
 * folder anchored the trail before but the database has no anchor now, it was removed — refuse to
 * sign a new one over whatever the database holds now.
 */
export async function prepareAuditTrail(db: Db, config: KeyConfig, now = Date.now()): Promise<{ keyring: AuditKeyring; anchor: AuditAnchor }> {
  const keyring = loadAuditKeyring(config, { create: true });
  installAuditKeyring(keyring);
  const anchor = await inTransaction(db, async (trx) => {
    const checkpoints = readCheckpoints(checkpointPath(config.QMFG_DATA_DIR), keyring).checkpoints;
    if ((await readAuditHead(trx)).anchor === null && checkpoints.some((c) => c.anchorAt > 0)) {
      throw new Error(`the audit trail's anchor was removed from the database (the checkpoints in ${checkpointPath(config.QMFG_DATA_DIR)} show it was anchored); run \`qmfg audit verify\``);
    }
    return anchorAuditTrail(trx, keyring, now);
  });
  return { keyring, anchor };
}

/** Verifies the trail with the configured keys and checkpoint file, and records the run. */
export async function verifyAndRecord(
  db: Executor,
  run: { keyring: AuditKeyring | null; dataDir: string; zone: string; origin: VerificationOrigin; actor: string; now?: () => number; onProgress?: VerifyOptions['onProgress'] },
): Promise<AuditVerification & { runId: number | null; startedAt: number; finishedAt: number }> {
  const clock = run.now ?? Date.now;
  const startedAt = clock();
  const result = await verifyAuditTrail(db, { keyring: run.keyring, checkpointFile: checkpointPath(run.dataDir), zone: run.zone, onProgress: run.onProgress });
  const finishedAt = clock();
  const runId = await recordVerification(db, { startedAt, finishedAt, origin: run.origin, actor: run.actor, result });
  return { ...result, runId, startedAt, finishedAt };
}
