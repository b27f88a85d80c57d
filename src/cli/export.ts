// `qmfg export --scenario [--out file]`: the current database state (now = the current time) as a
// scenario file for `qmfg plan` — to reproduce a plan outside the app, or to try "what if" edits.
import { writeFile } from 'node:fs/promises';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/connect.js';
import { getSite } from '../features/plant/repository.js';
import { exportScenario, ScenarioExportError } from '../features/orders/scenario-export.js';
import { withConfigErrors } from './config-errors.js';
import { CliError } from './errors.js';

export async function exportCommand(opts: { scenario?: boolean; out?: string }): Promise<void> {
  if (!opts.scenario) throw new CliError('say what to export: --scenario (the plant and open work orders as a `qmfg plan` scenario)');
  const config = await withConfigErrors(async () => loadConfig());
  const handle = await withConfigErrors(() => openDatabase(config.DATABASE_URL));
  try {
    const site = await getSite(handle.db).catch((error: Error) => {
      throw new CliError(`cannot read the plant from ${handle.describe} (${error.message}); run qmfg migrate first`);
    });
    if (!site) throw new CliError(`${handle.describe} has no plant yet; run qmfg seed (or qmfg serve) first`);
    let text: string;
    let summary: string;
    try {
      const scenario = await exportScenario(handle.db, config.QMFG_TZ, Date.now());
      text = JSON.stringify(scenario, null, 2) + '\n';
      summary = `${scenario.workOrders.length} open work orders, ${scenario.machines.length} machines, ${scenario.products.length} products`;
    } catch (error) {
      if (error instanceof ScenarioExportError) throw new CliError(error.message);
      throw error;
    }
    if (!opts.out) {
      process.stdout.write(text);
      return;
    }
    await writeFile(opts.out, text).catch((error: NodeJS.ErrnoException) => {
      throw new CliError(`cannot write '${opts.out}': ${error.code === 'ENOENT' ? 'no such folder' : error.message}`);
    });
    console.error(`qmfg: wrote the scenario (${summary}) to ${opts.out}`);
  } finally {
    await handle.close();
  }
}
