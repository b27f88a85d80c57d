import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../testing/databases.js';
import { seedDatabase } from '../demo/seed.js';
import { ingestFile, ingestorFor } from './ingest.js';
import { MAX_STORED_ERRORS_PER_FILE } from './batch-store.js';
import * as repo from './repository.js';
import * as ledgerRepo from './ledger-repository.js';
import { bufferSource } from './sources.js';
import { derivedSnapshot, LINE7_DAYS, tempFolder, ZONE } from '../../testing/machine-data.js';

const LINE7_1010_ROWS = 46_216;
const LINE7_1011_ROWS = 80_215;

describe.each(DIALECTS)('ingest of camera logs on %s', (dialect) => {
  let t: TestDatabase;
  const folder = tempFolder('ingest');
  beforeAll(async () => {
    t = await createTestDatabase(dialect, 'ingest');
    await seedDatabase(t.db, t.config, true);
  });
  afterAll(async () => {
    await t?.destroy();
    folder.remove();
  });

  it('importing the same file twice stores its cycles once', async () => {
    const first = await ingestFile(t.db, { machine: 'line7', path: LINE7_DAYS[0], zone: ZONE });
    expect(first).toMatchObject({ cycles: LINE7_1010_ROWS, errorCount: 0, alreadyImported: false, skippedBytes: 0, pendingBytes: 0 });
    const second = await ingestFile(t.db, { machine: 'line7', path: LINE7_DAYS[0], zone: ZONE });
    expect(second).toMatchObject({ cycles: 0, alreadyImported: true, skippedBytes: first.consumedBytes, fileId: first.fileId });
    expect(await repo.countCycles(t.db, 'line7')).toBe(LINE7_1010_ROWS);
    // the same bytes uploaded under the same name are the same file, wherever they come from
    const upload = await ingestorFor(t.db, ZONE).ingest({ machine: 'line7', source: bufferSource('PR20221010.txt', readFileSync(LINE7_DAYS[0])), kind: 'upload', final: true });
    expect(upload).toMatchObject({ alreadyImported: true, cycles: 0, fileId: first.fileId });
    expect(await repo.countCycles(t.db, 'line7')).toBe(LINE7_1010_ROWS);
    const ledger = await ledgerRepo.listLedger(t.db, { machine: 'line7', limit: 10 });
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ cycles: LINE7_1010_ROWS, consumedLines: LINE7_1010_ROWS, status: 'active', identityBytes: 4096 });
  });

  it('a crash half-way then a re-run gives exactly one clean import', async () => {
    // line9 gets a clean import, line10 the same file with a crash after two batches
    await ingestFile(t.db, { machine: 'line9', path: LINE7_DAYS[1], zone: ZONE, batchRows: 10_000 });
    let batches = 0;
    const crash = ingestFile(t.db, {
      machine: 'line10',
      path: LINE7_DAYS[1],
      zone: ZONE,
      batchRows: 10_000,
      onBatch: ({ index }) => {
        batches++;
        if (index === 2) throw new Error('simulated crash');
      },
    });
    await expect(crash).rejects.toThrow('simulated crash');
    expect(batches).toBe(3);
    const stored = await repo.countCycles(t.db, 'line10');
    expect(stored).toBeGreaterThan(10_000);
    expect(stored).toBeLessThan(LINE7_1011_ROWS);
    const [partial] = await ledgerRepo.listLedger(t.db, { machine: 'line10', limit: 1 });
    expect(partial.cycles).toBe(stored);

    const resumed = await ingestFile(t.db, { machine: 'line10', path: LINE7_DAYS[1], zone: ZONE, batchRows: 10_000 });
    expect(resumed.skippedBytes).toBe(partial.consumedBytes);
    expect(resumed.cycles).toBe(LINE7_1011_ROWS - stored);
    expect(await repo.countCycles(t.db, 'line10')).toBe(LINE7_1011_ROWS);
    expect(await derivedSnapshot(t.db, 'line10')).toEqual(await derivedSnapshot(t.db, 'line9'));
  });

  it('reports bad rows with file and line, keeps the good ones, refuses binary and empty files', async () => {
    const good = readFileSync(LINE7_DAYS[0], 'latin1').split('\n').slice(0, 6);
    const mixed = join(folder.path, 'PR20221110.txt');
    writeFileSync(mixed, [good[0], '1330700,159070,137622,1', good[1], '1330700,159070,137623,1,13/45/22 10:00:00.000', ...good.slice(2)].join('\n') + '\n');
    const result = await ingestFile(t.db, { machine: 'line11', path: mixed, zone: ZONE });
    expect(result.cycles).toBe(6);
    expect(result.errors.map((e) => [e.file, e.line])).toEqual([
      ['PR20221110.txt', 2],
      ['PR20221110.txt', 4],
    ]);
    expect(result.errors[0].message).toMatch(/expected 5 comma-separated columns.*found 4/);
    expect(result.errors[1].message).toMatch(/timestamp '13\/45\/22 10:00:00.000' is not a valid date/);
    const stored = await ledgerRepo.listErrors(t.db, { machine: 'line11', limit: 10 });
    expect(stored.map((e) => [e.file, e.line]).sort()).toEqual([
      ['PR20221110.txt', 2],
      ['PR20221110.txt', 4],
    ]);
    expect(await repo.countCycles(t.db, 'line11')).toBe(6);

    const binary = join(folder.path, 'PR20221111.txt');
    writeFileSync(binary, Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(200, 0), Buffer.from('\n1330700')]));
    const refused = await ingestFile(t.db, { machine: 'line11', path: binary, zone: ZONE });
    expect(refused.cycles).toBe(0);
    expect(refused.errors).toEqual([{ file: 'PR20221111.txt', line: 1, message: expect.stringMatching(/not a camera log: the file is binary/) }]);
    const again = await ingestFile(t.db, { machine: 'line11', path: binary, zone: ZONE });
    expect(again.errors[0].message).toMatch(/binary/);
    expect((await ledgerRepo.listErrors(t.db, { machine: 'line11', limit: 10 })).filter((e) => /binary/.test(e.message))).toHaveLength(1);

    const empty = join(folder.path, 'PR20221112.txt');
    writeFileSync(empty, '');
    const nothing = await ingestFile(t.db, { machine: 'line11', path: empty, zone: ZONE });
    expect(nothing).toMatchObject({ cycles: 0, fileId: null, errors: [{ file: 'PR20221112.txt', line: 0, message: expect.stringMatching(/empty/) }] });
    await expect(ingestFile(t.db, { machine: 'nope', path: mixed, zone: ZONE })).rejects.toThrow(/machine 'nope' not found/);
  });

  it('caps the stored errors of a file but counts them all', async () => {
    const rows = Array.from({ length: 260 }, (_, i) => `1330700,159070,${i + 1},1,10/14/22 06:00:${String(i % 60).padStart(2, '0')}.x00`);
    const file = join(folder.path, 'PR20221014.txt');
    writeFileSync(file, `${rows.join('\n')}\n`);
    const result = await ingestFile(t.db, { machine: 'line6', path: file, zone: ZONE });
    expect(result.errorCount).toBe(260);
    const [ledger] = await ledgerRepo.listLedger(t.db, { machine: 'line6', limit: 1 });
    expect(ledger.errors).toBe(260);
    expect((await ledgerRepo.listErrors(t.db, { machine: 'line6', limit: 1000 })).length).toBeLessThanOrEqual(MAX_STORED_ERRORS_PER_FILE);
  });

  it('a growing file: only new complete lines are consumed, a truncated last line waits', async () => {
    const lines = readFileSync(LINE7_DAYS[2], 'latin1').split('\n').slice(0, 30);
    const file = join(folder.path, 'PR20221012.txt');
    writeFileSync(file, `${lines.slice(0, 10).join('\n')}\n${lines[10].slice(0, 20)}`);
    const first = await ingestFile(t.db, { machine: 'dip-a', path: file, zone: ZONE, final: false });
    expect(first).toMatchObject({ cycles: 10, errorCount: 0 });
    expect(first.pendingBytes).toBe(20);
    appendFileSync(file, `${lines[10].slice(20)}\n${lines.slice(11, 30).join('\n')}\n`);
    const second = await ingestFile(t.db, { machine: 'dip-a', path: file, zone: ZONE, final: false });
    expect(second).toMatchObject({ cycles: 20, errorCount: 0, pendingBytes: 0, replaced: false });
    const stored = await repo.cyclesInArrivalOrder(t.db, 'dip-a');
    expect(stored.map((c) => c.line)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(stored[10].serial).toBe(lines[10].split(',')[2]);
    // the small file's identity was widened as it grew, so it is still recognised
    expect((await ingestFile(t.db, { machine: 'dip-a', path: file, zone: ZONE, final: false })).alreadyImported).toBe(true);
  });

  it('a file replaced or truncated under the same name is imported again as a new file, and says so', async () => {
    const lines = readFileSync(LINE7_DAYS[3], 'latin1').split('\n').slice(0, 200);
    const file = join(folder.path, 'PR20221013.txt');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const first = await ingestFile(t.db, { machine: 'dip-b', path: file, zone: ZONE });
    expect(first.cycles).toBe(200);
    writeFileSync(file, `${lines.slice(0, 50).join('\n')}\n`);
    const truncated = await ingestFile(t.db, { machine: 'dip-b', path: file, zone: ZONE });
    expect(truncated.replaced).toBe(true);
    expect(truncated.warnings[0]).toMatch(/changed since it was imported.*shorter than the \d+ bytes imported.*as a new file/);
    // its cycles are the old version's, already stored: nothing twice
    expect(truncated).toMatchObject({ cycles: 0, duplicateCycles: 50 });
    expect(await repo.countCycles(t.db, 'dip-b')).toBe(200);
    expect(truncated.fileId).not.toBe(first.fileId);
    const ledger = await ledgerRepo.listLedger(t.db, { machine: 'dip-b', limit: 10 });
    expect(ledger.map((row) => row.status).sort()).toEqual(['active', 'replaced']);
    expect(ledger.find((row) => row.status === 'replaced')?.message).toMatch(/shorter/);

    // rewritten in the middle (same length) and then grown: the prefix checksum catches it
    const other = join(folder.path, 'PR20221009.txt');
    writeFileSync(other, `${lines.slice(0, 200).join('\n')}\n`);
    expect((await ingestFile(t.db, { machine: 'dip-c', path: other, zone: ZONE })).cycles).toBe(200);
    const edited = [...lines.slice(0, 200)];
    edited[150] = edited[150].replace(/,(\d)(\d*),1,/, (_all, first: string, rest: string) => `,${first === '9' ? '8' : '9'}${rest},1,`);
    expect(edited[150]).not.toBe(lines[150]);
    writeFileSync(other, `${edited.join('\n')}\n${lines.slice(0, 10).join('\n')}\n`);
    const rewritten = await ingestFile(t.db, { machine: 'dip-c', path: other, zone: ZONE });
    // only the edited line is a cycle not stored before
    expect(rewritten).toMatchObject({ replaced: true, cycles: 1, duplicateCycles: 209 });
    expect(await repo.countCycles(t.db, 'dip-c')).toBe(201);
    expect(rewritten.warnings[0]).toMatch(/first \d+ bytes differ/);
  });
});
