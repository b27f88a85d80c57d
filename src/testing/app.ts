// Test support: the real app (fastify.inject) over a real database of the given dialect, seeded.
import { buildApp } from '../server/app.js';
import { EventHub } from '../server/events.js';
import type { App } from '../server/context.js';
import { seedDatabase } from '../features/demo/seed.js';
import { createTestDatabase, type TestDatabase } from './databases.js';
import type { DialectName } from '../db/database.js';

export interface TestApp {
  app: App;
  database: TestDatabase;
  events: EventHub;
  close(): Promise<void>;
}

export async function createTestApp(dialect: DialectName, label: string, options: { demo?: boolean } = {}): Promise<TestApp> {
  const database = await createTestDatabase(dialect, label);
  await seedDatabase(database.db, database.config, options.demo ?? true);
  const events = new EventHub();
  const app = await buildApp({ db: database.db, dialect, config: database.config, events }, { logger: false });
  await app.ready();
  return {
    app,
    database,
    events,
    async close() {
      await app.close();
      await database.destroy();
    },
  };
}
