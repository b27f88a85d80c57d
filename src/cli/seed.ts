import { loadConfig } from '../config.js';
import { prepareDatabase } from '../server/runtime.js';
import { withConfigErrors } from './config-errors.js';
import { CliError } from './errors.js';

/** Seeds the demo plant, its work orders and `--days` days of synthetic sensor data into an empty database. */
export async function seedCommand(opts: { days?: string }): Promise<void> {
  const days = Number(opts.days ?? 3);
  if (!Number.isInteger(days) || days < 0 || days > 60) throw new CliError(`--days must be a whole number from 0 to 60 (got ${opts.days})`);
  const config = await withConfigErrors(async () => loadConfig());
  const handle = await withConfigErrors(() => prepareDatabase(config, false));
  try {
    const { seedDatabase, seedDemoMachineData } = await import('../features/demo/seed.js');
    const result = await seedDatabase(handle.db, config, true, { orders: true, live: config.QMFG_DEMO_LIVE });
    if (!result.seeded) {
      console.log('qmfg: database already has a plant; nothing seeded');
      return;
    }
    console.log(`qmfg: seeded ${result.groups} process groups, ${result.machines} machines, ${result.products} products and demo work orders`);
    if (days > 0) {
      const data = await seedDemoMachineData(handle.db, { ...config, QMFG_DEMO_DAYS: days }, { now: Date.now() });
      console.log(`qmfg: ingested ${data.cycles} synthetic cycles from ${data.files} sensor files in ${(data.ms / 1000).toFixed(1)} s`);
    }
  } finally {
    await handle.close();
  }
}
