// `qmfg audit verify [--json]`: walks the audit trail and its checkpoints with the server's own
// configuration (DATABASE_URL, QMFG_DATA_DIR, QMFG_AUDIT_KEY) — exit 0 and the entry count when
// intact; exit 1 and the first bad entry (id, time with the plant's offset, what is wrong) otherwise.
import cliProgress from 'cli-progress';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { withConfigErrors } from './config-errors.js';

export async function auditVerifyCommand(opts: { json?: boolean }): Promise<void> {
  const config = await withConfigErrors(async () => loadConfig());
  const { loadAuditKeyring } = await import('../features/audit/keys.js');
  // a verifier never invents a key: no QMFG_AUDIT_KEY and no key file is an error
  const keyring = await withConfigErrors(async () => loadAuditKeyring(config, { create: false }));
  const handle = await withConfigErrors(async () => {
    const opened = await openDatabase(config.DATABASE_URL);
    // a database of an older version has no keyed columns yet: bring it up (as serve would)
    await migrateToLatest(opened.db);
    return opened;
  });
  let exitCode = 0;
  try {
    const { verifyAndRecord } = await import('../features/audit/integrity.js');
    const { countAuditEntries } = await import('../features/audit/repository.js');
    const showProgress = !opts.json && process.stderr.isTTY === true;
    const bar = new cliProgress.SingleBar({ format: 'verifying {bar} {percentage}% | {value} of {total} entries', hideCursor: true, clearOnComplete: true, stream: process.stderr }, cliProgress.Presets.shades_classic);
    if (showProgress) bar.start(await countAuditEntries(handle.db), 0);
    const result = await verifyAndRecord(handle.db, {
      keyring, dataDir: config.QMFG_DATA_DIR, zone: config.QMFG_TZ, origin: 'cli', actor: `cli:${process.env.USER ?? 'unknown'}`,
      onProgress: showProgress ? (entries) => bar.update(entries) : undefined,
    });
    if (showProgress) bar.stop();
    if (opts.json) {
      const { runId: _run, ...shown } = result;
      process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
    } else {
      for (const warning of result.warnings) console.error(`qmfg: warning: ${warning}`);
      const count = (n: number) => n.toLocaleString('en-US');
      if (result.ok) {
        console.log(`audit trail intact: ${count(result.entries)} entries, ${count(result.checkpoints)} checkpoints`);
      } else {
        const problem = result.problem!;
        const where = problem.entryId === null ? 'the trail' : `entry ${problem.entryId}${problem.at ? ` (${problem.at})` : ''}`;
        console.log(`audit trail NOT intact: ${where}: ${problem.message}`);
        console.log(`  (${count(result.entries)} entries checked before the failure)`);
      }
    }
    exitCode = result.ok ? 0 : 1;
  } finally {
    await handle.close();
  }
  process.exitCode = exitCode;
}
