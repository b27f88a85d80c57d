// `qmfg record verify <file>`: checks a lot-record export (JSON, or the PDF's stated hash) against
// itself and against the database (DATABASE_URL, QMFG_TZ like the server). Exit 0 and one line when
// it matches; exit 1 and the reason ("the file was altered", "the record changed since the export at …").
import { readFile } from 'node:fs/promises';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/connect.js';
import { withConfigErrors } from './config-errors.js';
import { CliError } from './errors.js';

export async function recordVerifyCommand(file: string): Promise<void> {
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new CliError(`cannot read '${file}': ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  });
  const config = await withConfigErrors(async () => loadConfig());
  const handle = await withConfigErrors(() => openDatabase(config.DATABASE_URL));
  try {
    const [{ verifyLotRecordFile }, { SIGNED_CONTENT }] = await Promise.all([import('../features/lot-record/verify.js'), import('../server/signed-records.js')]);
    const result = await verifyLotRecordFile({ db: handle.db, zone: config.QMFG_TZ, signedContent: SIGNED_CONTENT, now: Date.now() }, bytes);
    if (!result.ok) throw new CliError(result.message);
    console.log(`qmfg: ${result.message}`);
  } finally {
    await handle.close();
  }
}
