// `qmfg record verify` through the real CLI entry in a child process, against the test app's database:
// a fresh JSON export passes, one changed byte of it fails ("altered"), a change in the database
// after the export fails ("changed since the export"); the PDF's stated hash is read back too.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthTestApp, type AuthTestApp } from '../testing/auth.js';
import { tempFolder } from '../testing/machine-data.js';
import { editNotes, makeTestLot, TEST_ZONE } from '../features/lot-record/test-lot.js';
import { runQmfg } from '../testing/cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const qmfg = (args: string[], env: Record<string, string>) => runQmfg(args, env);

describe('qmfg record verify', () => {
  const folder = tempFolder('record-verify');
  let t: AuthTestApp;
  let env: Record<string, string>;
  let json: string;
  beforeAll(async () => {
    t = await createAuthTestApp('sqlite', 'record-verify', { QMFG_TZ: TEST_ZONE });
    env = { DATABASE_URL: t.database.url, QMFG_TZ: TEST_ZONE };
    await makeTestLot(t, '910301');
    json = (await t.inject({ method: 'GET', url: '/api/work-orders/910301/record.json' })).body;
    writeFileSync(join(folder.path, 'record.json'), json);
    writeFileSync(join(folder.path, 'record.pdf'), (await t.inject({ method: 'GET', url: '/api/work-orders/910301/record.pdf' })).rawPayload);
  });
  afterAll(async () => {
    await t?.close();
    folder.remove();
  });

  it('accepts a fresh JSON export and the PDF of the same record', async () => {
    const { contentHash } = JSON.parse(json) as { contentHash: string };
    const ok = await qmfg(['record', 'verify', join(folder.path, 'record.json')], env);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout.trim()).toBe(`qmfg: lot record 910301 verified (JSON: content and database): content SHA-256 ${contentHash}, exported ${JSON.parse(json).generatedAt}`);
    const pdf = await qmfg(['record', 'verify', join(folder.path, 'record.pdf')], env);
    expect(pdf.code, pdf.stderr).toBe(0);
    expect(pdf.stdout).toContain(`content SHA-256 ${contentHash}`);
  });

  it('rejects the JSON after one byte changed: the file was altered', async () => {
    // one byte inside the hashed content: "Line 7" becomes "Kine 7" (the JSON stays valid)
    const altered = Buffer.from(json);
    const at = altered.indexOf('Line 7 (line7)');
    expect(at).toBeGreaterThan(0);
    altered[at] = 'K'.charCodeAt(0);
    writeFileSync(join(folder.path, 'altered.json'), altered);
    const res = await qmfg(['record', 'verify', join(folder.path, 'altered.json')], env);
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('');
    expect(res.stderr.trim()).toMatch(/^qmfg: the file was altered: its content hashes to [0-9a-f]{64}, not to the [0-9a-f]{64} it states$/);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('rejects an untouched export once the record changed in the database', async () => {
    await editNotes(t, '910301', 'changed after the export');
    const res = await qmfg(['record', 'verify', join(folder.path, 'record.json')], env);
    expect(res.code).toBe(1);
    const generatedAt = (JSON.parse(json) as { generatedAt: string }).generatedAt;
    expect(res.stderr.trim()).toMatch(new RegExp(`^qmfg: the record changed since the export at ${generatedAt.replace(/[+.]/g, '\\$&')}: lot 910301 now hashes to [0-9a-f]{64}, the file states [0-9a-f]{64} \\(changed: Work order, Electronic signatures, Audit trail, Data changed after its original entry\\)$`));
    const pdf = await qmfg(['record', 'verify', join(folder.path, 'record.pdf')], env);
    expect(pdf.code).toBe(1);
    expect(pdf.stderr).toMatch(/the record changed since the export at/);
  });

  it('says so for a file that is not a lot record', async () => {
    writeFileSync(join(folder.path, 'other.json'), '{"hello": 1}');
    const res = await qmfg(['record', 'verify', join(folder.path, 'other.json')], env);
    expect(res.code).toBe(1);
    expect(res.stderr.trim()).toMatch(/^qmfg: the file was altered or is not a lot-record export: /);
  });
});
