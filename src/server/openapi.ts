// The OpenAPI document of the API as committed text (docs/openapi.json): built from the same zod
// schemas the routes validate with, with a fixed configuration and every object's keys sorted, so
// the text depends on the code only. `npm run openapi` writes it; a test fails when it is stale.
import { openDatabase } from '../db/connect.js';
import { loadConfig } from '../config.js';
import { buildApp } from './app.js';
import { EventHub } from './events.js';

export const OPENAPI_FILE = 'docs/openapi.json';
export const OPENAPI_COMMAND = 'npm run openapi';

/** A fixed environment: the document must not change with the machine it is generated on. */
const DOCUMENT_ENV = { DATABASE_URL: 'sqlite::memory:', QMFG_TZ: 'America/Los_Angeles' };

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}

export async function openApiText(): Promise<string> {
  const config = loadConfig({ ...DOCUMENT_ENV });
  const handle = await openDatabase(config.DATABASE_URL);
  const app = await buildApp({ db: handle.db, dialect: handle.dialect, config, events: new EventHub() }, { logger: false });
  try {
    await app.ready();
    return `${JSON.stringify(sortKeys(app.swagger()), null, 2)}\n`;
  } finally {
    await app.close();
    await handle.close();
  }
}
