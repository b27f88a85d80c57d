// `npm run openapi`: writes the API's OpenAPI document to docs/openapi.json (see src/server/openapi.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OPENAPI_FILE, openApiText } from '../src/server/openapi.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, OPENAPI_FILE);
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, await openApiText());
console.log(`qmfg: wrote ${OPENAPI_FILE}`);
