import { loadConfig } from '../config.js';
import { prepareDatabase } from '../server/runtime.js';
import { withConfigErrors } from './config-errors.js';

export async function seedCommand(_opts: { days?: string }): Promise<void> {
  const config = await withConfigErrors(async () => loadConfig());
  const handle = await withConfigErrors(() => prepareDatabase(config, false));
  try {
    const { seedDatabase } = await import('../features/demo/seed.js');
    const result = await seedDatabase(handle.db, config, true, { orders: true });
    console.log(result.seeded ? `qmfg: seeded ${result.groups} process groups, ${result.machines} machines, ${result.products} products` : 'qmfg: database already has a plant; nothing seeded');
  } finally {
    await handle.close();
  }
}
