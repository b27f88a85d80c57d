// Nothing stored twice, whatever the file is called and whichever door it comes through (upload,
// drop folder, MQTT; the CLI in src/cli/import.test.ts); a partial last line of a past-dated file
// waits for its end; every import is audited (the system user for automatic ones), one entry per
// file run or per machine and batch — never one per cycle. Real camera logs, every database.
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.js';
import { DIALECTS } from '../../testing/databases.js';
import { listAudit, verifyAuditChain } from '../audit/repository.js';
import { ingestorFor, type IngestFileResult } from './ingest.js';
import { MqttIngest } from './mqtt.js';
import { ProductionNotifier, SILENT_LOG, type Log } from './notifier.js';
import * as repo from './repository.js';
import * as ledgerRepo from './ledger-repository.js';
import { bufferSource } from './sources.js';
import { derivedSnapshot, LINE7_DAYS, LINE8_DAYS, multipartFiles, tempFolder, within, ZONE } from '../../testing/machine-data.js';
import { DropFolderWatcher } from './watcher.js';

const LINE7_1010_ROWS = 46_216;

describe.each(DIALECTS)('nothing stored twice, partial lines, audit of every door on %s', (dialect) => {
  let t: TestApp;
  const root = tempFolder('dup-drop');
  const problems: string[] = [];
  const log: Log = { ...SILENT_LOG, error: (message) => problems.push(message) };
  const upload = async (name: string, content: Buffer, machine = 'line7') => {
    const res = await t.app.inject({ method: 'POST', url: `/api/ingest/upload?machine=${machine}`, ...multipartFiles([{ name, content }]) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().files[0] as IngestFileResult & { duplicateOf: { fileId: number; file: string; importedAt: number } | null; duplicateCycles: number };
  };
  const audit = (key: string) => listAudit(t.database.db, { entity: 'sensor-file', entityKey: key });

  beforeAll(async () => {
    t = await createTestApp(dialect, 'dup', { demo: true });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    root.remove();
  });

  it('upload: the same bytes under another name store nothing and say so; undo of the original lets the copy in', async () => {
    const bytes = readFileSync(LINE7_DAYS[0]);
    const first = await upload('PR20221010.txt', bytes);
    expect(first.cycles).toBe(LINE7_1010_ROWS);
    const before = await derivedSnapshot(t.database.db, 'line7');

    const copy = await upload('PR20221010 (1).txt', bytes);
    expect(copy).toMatchObject({ cycles: 0, alreadyImported: true, duplicateOf: { fileId: first.fileId, file: 'PR20221010.txt' } });
    expect(copy.warnings.join(' ')).toMatch(/already imported as PR20221010\.txt on \d{4}-\d\d-\d\d: nothing stored twice/);
    // a shorter copy (an earlier state of the file) is caught by the cycles themselves
    const head = Buffer.from(`${bytes.toString('latin1').split('\n').slice(0, 20_000).join('\n')}\n`, 'latin1');
    const partial = await upload('line7-morning.txt', head);
    expect(partial).toMatchObject({ cycles: 0, duplicateCycles: 20_000 });
    expect(partial.warnings.join(' ')).toMatch(/20000 cycles were already imported \(PR20221010\.txt\): nothing stored twice/);
    expect(await repo.countCycles(t.database.db, 'line7')).toBe(LINE7_1010_ROWS);
    expect(await derivedSnapshot(t.database.db, 'line7')).toEqual(before);

    // the upload's audit: one entry per file with counts and the ledger id
    const entries = await audit('line7/PR20221010.txt');
    expect(entries.filter((e) => e.action === 'upload')).toMatchObject([{ actor: t.admin.username, after: { fileId: first.fileId, cycles: LINE7_1010_ROWS } }]);
    expect(await audit('line7/PR20221010 (1).txt')).toMatchObject([{ action: 'upload', after: { fileId: copy.fileId, cycles: 0, duplicateOf: first.fileId } }]);

    const undone = await t.app.inject({ method: 'POST', url: `/api/ingest/files/${first.fileId}/undo`, payload: { reason: 'test: take the original out' } });
    expect(undone.statusCode, undone.body).toBe(200);
    const again = await upload('PR20221010 (1).txt', bytes);
    expect(again).toMatchObject({ cycles: LINE7_1010_ROWS, duplicateOf: null });
    expect(await repo.countCycles(t.database.db, 'line7')).toBe(LINE7_1010_ROWS);
  }, 300_000);

  const watch = async (folder: string, runs: IngestFileResult[]) => {
    const watcher = new DropFolderWatcher({
      ingestor: ingestorFor(t.database.db, ZONE), notifier: new ProductionNotifier(t.database.db, ZONE, null, log, 0), root: join(root.path, folder), zone: ZONE, log,
      settleMs: 120_000, onIngested: (result) => runs.push(result),
    });
    mkdirSync(join(root.path, folder, 'line8'), { recursive: true });
    mkdirSync(join(root.path, folder, 'line9'), { recursive: true });
    await watcher.start();
    return watcher;
  };

  it('drop folder: a copy under another name is recognised, audited as the system', async () => {
    const runs: IngestFileResult[] = [];
    const watcher = await watch('copies', runs);
    try {
      const day = readFileSync(LINE8_DAYS[0]).subarray(0, 200_000);
      const cut = day.lastIndexOf(10) + 1;
      writeFileSync(join(root.path, 'copies', 'line8', 'PR20221010.txt'), day.subarray(0, cut));
      const lines = day.subarray(0, cut).toString('latin1').split('\n').length - 1;
      expect(await within(10_000, () => repo.countCycles(t.database.db, 'line8'), (n) => n >= lines)).toBe(lines);
      writeFileSync(join(root.path, 'copies', 'line8', 'PR20221010 - Copy.txt'), day.subarray(0, cut));
      const copy = await within(10_000, async () => runs.find((r) => r.file === 'PR20221010 - Copy.txt'), (r) => r !== undefined);
      expect(copy).toMatchObject({ cycles: 0, duplicateOf: { file: 'PR20221010.txt' } });
      await watcher.idle();
      expect(await repo.countCycles(t.database.db, 'line8')).toBe(lines);
      const original = (await ledgerRepo.listLedger(t.database.db, { machine: 'line8', limit: 10 })).find((r) => r.name === 'PR20221010.txt');
      if (!original) throw new Error('no ledger row of PR20221010.txt');
      expect(await audit('line8/PR20221010.txt')).toMatchObject([{ actor: 'system', source: 'drop-folder', action: 'import', after: { fileId: original.id, cycles: lines } }]);
      expect(await audit('line8/PR20221010 - Copy.txt')).toMatchObject([{ actor: 'system', source: 'drop-folder', after: { cycles: 0, duplicateOf: original.id } }]);
    } finally {
      await watcher.close();
    }
    expect(problems).toEqual([]);
  }, 300_000);

  it('drop folder: a partial last line of a past-dated file waits for its end (all cycles, no error), one audit entry per run', async () => {
    const runs: IngestFileResult[] = [];
    const watcher = await watch('partial', runs);
    try {
      // Line 7's 10 Oct (past-dated) file arrives with its last line half written
      const file = join(root.path, 'partial', 'line9', 'PR20221010.txt');
      const full = readFileSync(LINE7_DAYS[0]);
      const split = full.length - 20;
      writeFileSync(file, full.subarray(0, split));
      const seen = await within(10_000, async () => runs.find((r) => r.machine === 'line9'), (r) => r !== undefined);
      expect(seen).toMatchObject({ cycles: LINE7_1010_ROWS - 1, errorCount: 0 });
      expect(seen?.pendingBytes).toBeGreaterThan(0);
      appendFileSync(file, full.subarray(split));
      const total = await within(10_000, () => repo.countCycles(t.database.db, 'line9'), (n) => n >= LINE7_1010_ROWS);
      expect(total, JSON.stringify(runs.map(({ errors: _e, ...r }) => r))).toBe(LINE7_1010_ROWS);
      await watcher.idle();
      const [ledger] = await ledgerRepo.listLedger(t.database.db, { machine: 'line9', limit: 1 });
      expect(ledger).toMatchObject({ cycles: LINE7_1010_ROWS, errors: 0, consumedBytes: full.length });

      // audit: the system made these changes, one entry per file run with counts and ledger ids; the
      // second run came within the audit interval of the first, so its entry is written when the watcher stops
      await watcher.close();
      const entries = await audit('line9/PR20221010.txt');
      expect(entries.length).toBeGreaterThanOrEqual(1);
      expect(entries.length).toBeLessThanOrEqual(2);
      for (const entry of entries) expect(entry).toMatchObject({ actor: 'system', source: 'drop-folder', action: 'import', after: { fileId: ledger.id } });
      expect(entries.reduce((sum, e) => sum + (e.after as { cycles: number }).cycles, 0)).toBe(LINE7_1010_ROWS);
    } finally {
      await watcher.close();
    }
    expect(problems).toEqual([]);
  }, 300_000);

  it('MQTT after a file and a file after MQTT: the same cycles are stored once; MQTT is audited per machine and batch', async () => {
    const ingestor = ingestorFor(t.database.db, ZONE);
    const mqtt = new MqttIngest({ url: 'mqtt://unused', topicPrefix: 'plant', ingestor, notifier: new ProductionNotifier(t.database.db, ZONE, null, log, 0), zone: ZONE, log });
    const lines = readFileSync(LINE8_DAYS[1], 'latin1').split('\n').slice(0, 400);
    const send = async (machine: string, from: number, to: number) => {
      let cycles = 0;
      let duplicates = 0;
      for (let i = from; i < to; i += 50) {
        const result = await mqtt.handle(`plant/${machine}/cycles`, Buffer.from(lines.slice(i, Math.min(to, i + 50)).join('\n'), 'latin1'), {});
        cycles += result?.cycles ?? 0;
        duplicates += result?.duplicates ?? 0;
      }
      return { cycles, duplicates };
    };
    const text = (from: number, to: number) => Buffer.from(`${lines.slice(from, to).join('\n')}\n`, 'latin1');

    // file first, then the same lines live
    await ingestor.ingest({ machine: 'line10', source: bufferSource('PR20221011.txt', text(0, 300)), kind: 'upload', final: true });
    expect(await send('line10', 0, 300)).toEqual({ cycles: 0, duplicates: 300 });
    expect(await repo.countCycles(t.database.db, 'line10')).toBe(300);
    // live first, then the day-file with them and more
    expect(await send('line11', 0, 200)).toEqual({ cycles: 200, duplicates: 0 });
    const file = await ingestor.ingest({ machine: 'line11', source: bufferSource('PR20221011.txt', text(0, 400)), kind: 'upload', final: true });
    expect(file).toMatchObject({ cycles: 200, duplicateCycles: 200 });
    expect(await repo.countCycles(t.database.db, 'line11')).toBe(400);
    await mqtt.close();

    // 4 messages of 50 lines: audited per machine and batch window, not per message or cycle
    const [stream] = await ledgerRepo.listLedger(t.database.db, { machine: 'line11', sources: ['mqtt'], limit: 1 });
    const entries = (await listAudit(t.database.db, { entity: 'sensor-file' })).filter((e) => e.entityKey === `line11/${stream.name}`);
    expect(entries.length).toBeGreaterThanOrEqual(1);
    expect(entries.length).toBeLessThanOrEqual(2);
    for (const entry of entries) expect(entry).toMatchObject({ actor: 'system', source: 'mqtt', action: 'import', after: { fileId: stream.id } });
    expect(entries.reduce((sum, e) => sum + (e.after as { cycles: number }).cycles, 0)).toBe(200);
    expect((await verifyAuditChain(t.database.db)).brokenAt).toBeNull();
  }, 300_000);
});
