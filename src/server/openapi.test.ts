// Generated files are never stale: the committed OpenAPI document must be what the code generates.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { OPENAPI_COMMAND, OPENAPI_FILE, openApiText } from './openapi.js';

const committedPath = fileURLToPath(new URL(`../../${OPENAPI_FILE}`, import.meta.url));

/** Where two texts first differ, as "line N: committed … / generated …". */
function firstDifference(committed: string, generated: string): string {
  const a = committed.split('\n');
  const b = generated.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `line ${i + 1}: committed ${JSON.stringify(a[i] ?? '(end)')} / generated ${JSON.stringify(b[i] ?? '(end)')}`;
  }
  return 'no difference';
}

describe('OpenAPI snapshot', () => {
  it(`${OPENAPI_FILE} is the document the routes generate (regenerate with \`${OPENAPI_COMMAND}\`)`, async () => {
    const generated = await openApiText();
    expect(existsSync(committedPath), `${OPENAPI_FILE} is missing: run \`${OPENAPI_COMMAND}\` and commit it`).toBe(true);
    const committed = readFileSync(committedPath, 'utf8');
    const stale = committed !== generated;
    expect(stale, `${OPENAPI_FILE} is stale (${firstDifference(committed, generated)}): run \`${OPENAPI_COMMAND}\` and commit it`).toBe(false);
    const document = JSON.parse(generated);
    expect(Object.keys(document.paths)).toContain('/api/oee');
  });

  it('is the same text on every run (sorted keys, fixed configuration)', async () => {
    expect(await openApiText()).toBe(await openApiText());
  });
});
