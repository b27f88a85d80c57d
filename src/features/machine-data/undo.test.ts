// A Line 7 file uploaded to Line 6 by mistake: the check names Line 7, and undoing the import puts
// Line 6 back exactly where a machine that never got the file stands (raw and derived data, OEE),
// with an audit entry and its reason; the file can be imported again. Real files, every database.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.js';
import { DIALECTS } from '../../testing/databases.js';
import { listAudit, verifyAuditChain } from '../audit/repository.js';
import { derivedSnapshot, LINE7_DAYS, LINE8_DAYS, multipartFiles, ZONE } from '../../testing/machine-data.js';

const LINE7_1011_ROWS = 80_215;

const multipart = (name: string, content: Buffer) => multipartFiles([{ name, content }]);

const local = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toMillis();

describe.each(DIALECTS)('upload check and undo of an import on %s', (dialect) => {
  let t: TestApp;
  const upload = async (machine: string, path: string) => {
    const res = await t.app.inject({ method: 'POST', url: `/api/ingest/upload?machine=${machine}`, ...multipart(basename(path), readFileSync(path)) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().files[0];
  };
  const check = async (path: string, query: string) => {
    const res = await t.app.inject({ method: 'POST', url: `/api/ingest/check?${query}`, ...multipart(basename(path), readFileSync(path)) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const oee = async (machine: string, from: string, to: string) => {
    const res = await t.app.inject({ url: `/api/oee?machine=${machine}&from=${local(from)}&to=${local(to)}&groupBy=hour` });
    expect(res.statusCode, res.body).toBe(200);
    const [result] = res.json().machines;
    // the figures, not whose they are
    return JSON.parse(JSON.stringify({ totals: result.totals, series: result.series }).replaceAll(`"${machine}"`, '"M"'));
  };

  beforeAll(async () => {
    t = await createTestApp(dialect, 'undo_import', { demo: true });
    await upload('line7', LINE7_DAYS[0]);
    // line6's own data, and line9 as the reference that never gets the wrong file
    await upload('line6', LINE8_DAYS[0]);
    await upload('line9', LINE8_DAYS[0]);
  }, 300_000);
  afterAll(async () => t?.close());

  it('the check names the machine the lots were made on, and the folder it was chosen in', async () => {
    const result = await check(LINE7_DAYS[1], 'machine=line6');
    expect(result).toMatchObject({ file: 'PR20221011.txt', cycles: LINE7_1011_ROWS, folderMachine: null, suggestedMachine: 'line7', suggestedBecause: 'lots', machine: 'line6' });
    expect(result.lots.map((l: { lot: string }) => l.lot)).toEqual(['159159']);
    expect(result.lotsSeenOn).toEqual([{ machine: 'line7', lots: ['159159'], cycles: expect.any(Number) }]);
    expect(result.mismatch).toEqual({ lots: ['159159'], lotMachines: ['line7'], folderMachine: null });
    expect(result.firstAt).toBe(local('2022-10-11T06:11:09.394'));
    // the right machine: no mismatch; the folder decides before the lots
    expect((await check(LINE7_DAYS[1], 'machine=line7')).mismatch).toBeNull();
    const byFolder = await check(LINE7_DAYS[1], `folder=${encodeURIComponent('sensors/Line7')}`);
    expect(byFolder).toMatchObject({ folderMachine: 'line7', suggestedMachine: 'line7', suggestedBecause: 'folder', mismatch: null });
    expect((await check(LINE7_DAYS[1], 'machine=line8&folder=Line%207')).mismatch).toEqual({ lots: ['159159'], lotMachines: ['line7'], folderMachine: 'line7' });
  });

  it('undo takes the wrong file out again: line6 equals a machine that never had it, audited with the reason', async () => {
    const beforeOee = await oee('line6', '2022-10-10T00:00', '2022-10-11T00:00');
    const wrong = await upload('line6', LINE7_DAYS[1]);
    expect(wrong.cycles).toBe(LINE7_1011_ROWS);
    // data that arrived after the mistake stays
    await upload('line6', LINE8_DAYS[2]);
    await upload('line9', LINE8_DAYS[2]);
    expect(await oee('line6', '2022-10-10T00:00', '2022-10-14T00:00')).not.toEqual(await oee('line9', '2022-10-10T00:00', '2022-10-14T00:00'));

    const operator = await t.as('operator');
    const url = `/api/ingest/files/${wrong.fileId}/undo`;
    expect((await operator.inject({ method: 'POST', url, payload: { reason: 'wrong machine' } })).statusCode).toBe(403);
    const noReason = await t.app.inject({ method: 'POST', url, payload: {} });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('reason');
    expect((await t.app.inject({ method: 'POST', url: '/api/ingest/files/999999/undo', payload: { reason: 'wrong machine' } })).statusCode).toBe(404);

    const quality = await t.as('quality');
    const undone = await quality.inject({ method: 'POST', url, payload: { reason: 'Line 7 file, uploaded to Line 6 by mistake' } });
    expect(undone.statusCode, undone.body).toBe(200);
    expect(undone.json()).toMatchObject({ fileId: wrong.fileId, machine: 'line6', cyclesRemoved: LINE7_1011_ROWS, lots: ['159159'] });

    // raw cycles, minute/hour/lot counts, gaps and carry: exactly those of line9
    const six = await derivedSnapshot(t.database.db, 'line6');
    const nine = await derivedSnapshot(t.database.db, 'line9');
    expect(six).toEqual(nine);
    expect(await oee('line6', '2022-10-10T00:00', '2022-10-14T00:00')).toEqual(await oee('line9', '2022-10-10T00:00', '2022-10-14T00:00'));
    expect(await oee('line6', '2022-10-10T00:00', '2022-10-11T00:00')).toEqual(beforeOee);

    const entries = await listAudit(t.database.db, { entity: 'sensor-file', entityKey: 'line6/PR20221011.txt' });
    const entry = entries.find((e) => e.action === 'undo-import');
    expect(entry).toMatchObject({ actor: quality.user.username, reason: 'Line 7 file, uploaded to Line 6 by mistake', before: { cycles: LINE7_1011_ROWS, lots: ['159159'] } });
    expect((await verifyAuditChain(t.database.db)).brokenAt).toBeNull();

    const ledger = (await t.app.inject({ url: '/api/ingest/files?machine=line6&source=upload' })).json();
    expect(ledger.find((row: { id: number }) => row.id === wrong.fileId)).toMatchObject({ status: 'undone', createdBy: t.admin.username, message: expect.stringContaining('by mistake') });
    expect((await t.app.inject({ method: 'POST', url, payload: { reason: 'again' } })).statusCode).toBe(409);
  }, 300_000);

  it('after the undo the same file imports again, to the right machine or even the same one', async () => {
    expect((await upload('line7', LINE7_DAYS[1])).cycles).toBe(LINE7_1011_ROWS);
    const again = await upload('line6', LINE7_DAYS[1]);
    expect(again).toMatchObject({ cycles: LINE7_1011_ROWS, alreadyImported: false });
  }, 300_000);
});
