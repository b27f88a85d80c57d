import { loadConfig } from '../config.js';
import { openDatabase } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { withConfigErrors } from './config-errors.js';

export async function migrateCommand(): Promise<void> {
  const handle = await withConfigErrors(() => openDatabase(loadConfig().DATABASE_URL));
  try {
    const applied = await migrateToLatest(handle.db);
    console.log(applied.length ? `qmfg: applied ${applied.join(', ')} on ${handle.describe}` : `qmfg: ${handle.describe} is up to date`);
  } finally {
    await handle.close();
  }
}
