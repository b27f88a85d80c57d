// `qmfg import` end to end through the real CLI entry in a child process, on a fresh SQLite file.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { seedDatabase } from '../features/demo/seed.js';
import { listAudit } from '../features/audit/repository.js';
import * as repo from '../features/machine-data/repository.js';
import * as ledgerRepo from '../features/machine-data/ledger-repository.js';
import { LINE8_DAYS, tempFolder } from '../testing/machine-data.js';
import { expandImportPaths } from './import.js';
import { runQmfg } from '../testing/cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const qmfg = (args: string[], env: Record<string, string>) => runQmfg(args, env);

describe('qmfg import', () => {
  const folder = tempFolder('import-cli');
  const url = `sqlite:${join(folder.path, 'qmfg.db')}`;
  const env = { DATABASE_URL: url, QMFG_TZ: 'America/Los_Angeles', QMFG_DEMO: '1' };
  beforeAll(async () => {
    const handle = await openDatabase(url);
    await migrateToLatest(handle.db);
    await seedDatabase(handle.db, loadConfig({ ...env } as NodeJS.ProcessEnv), true);
    await handle.close();
  });
  afterAll(() => folder.remove());

  const count = async (machine: string) => {
    const handle = await openDatabase(url);
    try {
      return await repo.countCycles(handle.db, machine);
    } finally {
      await handle.close();
    }
  };

  it('imports a folder of day-files in date order, and a re-run imports nothing new', async () => {
    const drop = join(folder.path, 'line8');
    mkdirSync(drop);
    // copied in reverse so that only the date in the name gives the order
    for (const file of [...LINE8_DAYS.slice(0, 2)].reverse()) copyFileSync(file, join(drop, file.split('/').pop() as string));
    expect(await expandImportPaths([drop])).toEqual([join(drop, 'PR20221010.txt'), join(drop, 'PR20221011.txt')]);
    const first = await qmfg(['import', drop, '--machine', 'line8'], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('PR20221010.txt: 78,582 cycles');
    expect(first.stdout).toContain('PR20221011.txt: 85,036 cycles');
    expect(await count('line8')).toBe(78_582 + 85_036);
    const again = await qmfg(['import', drop, '--machine', 'line8', '--json'], env);
    expect(again.code).toBe(0);
    const report = JSON.parse(again.stdout);
    expect(report.files.map((f: { alreadyImported: boolean; cycles: number }) => [f.alreadyImported, f.cycles])).toEqual([
      [true, 0],
      [true, 0],
    ]);
    expect(await count('line8')).toBe(78_582 + 85_036);
  });

  it('the same file under another name stores nothing and says so; each file run is audited as the system (cli)', async () => {
    const copies = join(folder.path, 'copies');
    mkdirSync(copies);
    copyFileSync(LINE8_DAYS[1], join(copies, 'PR20221011 (1).txt'));
    const run = await qmfg(['import', join(copies, 'PR20221011 (1).txt'), '--machine', 'line8'], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/PR20221011 \(1\)\.txt: already imported\n {2}warning: already imported as PR20221011\.txt on \d{4}-\d\d-\d\d: nothing stored twice/);
    expect(await count('line8')).toBe(78_582 + 85_036);
    const handle = await openDatabase(url);
    try {
      const entries = (await listAudit(handle.db, { entity: 'sensor-file' })).filter((e) => e.entityKey.startsWith('line8/'));
      const ledger = await ledgerRepo.listLedger(handle.db, { machine: 'line8', limit: 10 });
      const id = (name: string) => ledger.find((row) => row.name === name)?.id;
      // one entry per file run that changed something (the re-run above changed nothing: no entry)
      expect(entries.map((e) => [e.entityKey, e.actor, e.source, e.action, (e.after as { fileId: number }).fileId, (e.after as { cycles: number }).cycles]).sort()).toEqual([
        ['line8/PR20221010.txt', 'system', 'cli', 'import', id('PR20221010.txt'), 78_582],
        ['line8/PR20221011 (1).txt', 'system', 'cli', 'import', id('PR20221011 (1).txt'), 0],
        ['line8/PR20221011.txt', 'system', 'cli', 'import', id('PR20221011.txt'), 85_036],
      ]);
      expect(entries.find((e) => e.entityKey === 'line8/PR20221011 (1).txt')?.after).toMatchObject({ duplicateOf: id('PR20221011.txt') });
    } finally {
      await handle.close();
    }
  });

  it('names bad rows by file:line, refuses a file without a single valid row (exit 1), and an unknown machine', async () => {
    const bad = join(folder.path, 'PR20221201.txt');
    writeFileSync(bad, 'hello\nworld\n');
    const refused = await qmfg(['import', bad, '--machine', 'line9'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('PR20221201.txt:1: expected 5 comma-separated columns');
    expect(refused.stderr).toContain('PR20221201.txt:2:');
    expect(refused.stderr).toMatch(/qmfg: 1 file was refused: PR20221201.txt/);
    const unknown = await qmfg(['import', bad, '--machine', 'line99'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown machine "line99" — known machines: .*line7/);
    const missing = await qmfg(['import', join(folder.path, 'nope.txt'), '--machine', 'line9'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/qmfg: not found: .*nope.txt/);
  });
});
