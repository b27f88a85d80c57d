import { appendFileSync, closeSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../testing/databases.js';
import { EventHub } from '../../server/events.js';
import { seedDatabase } from '../demo/seed.js';
import { ingestorFor } from './ingest.js';
import { ProductionNotifier, SILENT_LOG, type Log } from './notifier.js';
import * as repo from './repository.js';
import * as ledgerRepo from './ledger-repository.js';
import { LINE7_DAYS, tempFolder, ZONE, within } from '../../testing/machine-data.js';
import { DropFolderWatcher } from './watcher.js';


describe.each([
  ['file-system events', false],
  ['polling', true],
])('drop folder watcher (%s)', (_mode, usePolling) => {
  let t: TestDatabase;
  let watcher: DropFolderWatcher;
  const root = tempFolder('drop');
  const warnings: string[] = [];
  const events: string[] = [];
  const log: Log = { ...SILENT_LOG, warn: (message) => warnings.push(message), error: (message) => warnings.push(message) };
  const lines = readFileSync(LINE7_DAYS[3], 'latin1').split('\n').slice(0, 3000);

  beforeAll(async () => {
    t = await createTestDatabase('sqlite', 'watch');
    await seedDatabase(t.db, t.config, true);
    mkdirSync(join(root.path, 'line7'));
    // a day-file already there when the watcher starts
    writeFileSync(join(root.path, 'line7', 'PR20221010.txt'), `${readFileSync(LINE7_DAYS[0], 'latin1').split('\n').slice(0, 500).join('\n')}\n`);
    const hub = new EventHub();
    hub.subscribe((event) => events.push(event.topic));
    const ingestor = ingestorFor(t.db, ZONE);
    watcher = new DropFolderWatcher({ ingestor, notifier: new ProductionNotifier(t.db, ZONE, hub, log, 0), root: root.path, zone: ZONE, log, usePolling, pollIntervalMs: 100 });
    await watcher.start();
  });
  afterAll(async () => {
    await watcher?.close();
    await t?.destroy();
    root.remove();
  });

  it('picks up files already there, then each of three appends exactly once within 5 s', async () => {
    expect(await within(5000, () => repo.countCycles(t.db, 'line7'), (n) => n === 500)).toBe(500);
    // today's file is still being written: a half line waits for its end
    const today = join(root.path, 'line7', `PR${DateTime.now().setZone(ZONE).toFormat('yyyyLLdd')}.txt`);
    const count = () => repo.countCycles(t.db, 'line7');
    writeFileSync(today, `${lines.slice(0, 1000).join('\n')}\n`);
    expect(await within(5000, count, (n) => n >= 1500)).toBe(1500);
    appendFileSync(today, `${lines.slice(1000, 2000).join('\n')}\n${lines[2000].slice(0, 17)}`);
    expect(await within(5000, count, (n) => n >= 2500)).toBe(2500);
    appendFileSync(today, `${lines[2000].slice(17)}\n${lines.slice(2001, 3000).join('\n')}\n`);
    expect(await within(5000, count, (n) => n >= 3500)).toBe(3500);
    await watcher.idle();
    // nothing twice, nothing lost, in file order
    const ledger = (await ledgerRepo.listLedger(t.db, { machine: 'line7', limit: 5 })).find((f) => today.endsWith(f.name));
    expect(ledger).toMatchObject({ cycles: 3000, consumedLines: 3000, errors: 0 });
    const stored = (await repo.cyclesInArrivalOrder(t.db, 'line7')).filter((c) => c.fileId === ledger?.id);
    expect(stored.map((c) => c.line)).toEqual(Array.from({ length: 3000 }, (_, i) => i + 1));
    expect(stored[2000].serial).toBe(lines[2000].split(',')[2]);
    expect(events).toContain('production');
    expect(warnings).toEqual([]);
  });

  it('a file created empty and filled later is still picked up', async () => {
    mkdirSync(join(root.path, 'line9'));
    const file = join(root.path, 'line9', 'PR20221011.txt');
    writeFileSync(file, '');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const handle = openSync(file, 'r+');
    writeSync(handle, `${lines.slice(0, 40).join('\n')}\n`);
    closeSync(handle);
    expect(await within(5000, () => repo.countCycles(t.db, 'line9'), (n) => n >= 40)).toBe(40);
  });

  it('warns once about a folder that is not a machine and ignores its files', async () => {
    mkdirSync(join(root.path, 'line99'));
    writeFileSync(join(root.path, 'line99', 'PR20221010.txt'), `${lines.slice(0, 10).join('\n')}\n`);
    const warned = await within(5000, async () => warnings.slice(), (w) => w.length > 0);
    expect(warned).toEqual([expect.stringMatching(/line99: no machine with key or data folder 'line99'/)]);
    expect(await repo.countCycles(t.db, 'line99')).toBe(0);
  });
});
