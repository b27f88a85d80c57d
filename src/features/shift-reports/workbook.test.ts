// The operator shift sheet round trip on each database (issue 13 item 3): the real Line 7 day is
// ingested, the 2022-10-13 06:30 shift's template downloaded (prefilled, dropdowns from the hidden
// Lists sheet), filled in with ExcelJS like an operator would, uploaded: every row's verdict exact,
// the good rows stored, the bad ones named; the same file again changes nothing (no audit entry);
// a reason given on screen meanwhile is a conflict and stays.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import ExcelJS from 'exceljs';
import { createTestApp, type TestApp } from '../../testing/app.js';
import { DIALECTS } from '../../testing/databases.js';
import { LINE7_DAYS, multipartFiles, ZONE } from '../../testing/machine-data.js';

const local = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toMillis();
/** a plant-local instant as Excel keeps it (wall-clock fields as UTC) */
const excelTime = (ms: number) => DateTime.fromMillis(ms, { zone: ZONE }).setZone('utc', { keepLocalTime: true }).toJSDate();

interface Stop { startMs: number; endMs: number; segments: { startMs: number; reason: string; comment: string | null; by: string }[] }
interface RowResult { sheet: string; row: number; status: string; field?: string; message?: string }

describe.each(DIALECTS)('the shift sheet on %s', (dialect) => {
  let t: TestApp;
  const shiftStart = local('2022-10-13T06:30');
  let stops: Stop[];
  let machineName: string;
  let groupName: string;
  let template: Buffer;
  let filled: Buffer;
  let lot: string;

  const json = async (url: string) => {
    const res = await t.app.inject({ method: 'GET', url });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const listStops = async (): Promise<Stop[]> =>
    (await json(`/api/stops?machine=line7&from=2022-10-13T06:30&to=2022-10-13T14:45&minSeconds=60`)).stops.filter((s: Stop) => s.startMs >= shiftStart);
  const upload = async (bytes: Buffer) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/shift-logs/line7/upload', ...multipartFiles([{ name: 'line7-shift.xlsx', content: bytes }]) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { rows: RowResult[]; imported: number; unchanged: number; errors: number; conflicts: number };
  };
  const auditCount = async () => Number((await t.database.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const load = async (bytes: Buffer) => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    return workbook;
  };
  const bytesOf = async (workbook: ExcelJS.Workbook) => Buffer.from(await workbook.xlsx.writeBuffer());

  beforeAll(async () => {
    t = await createTestApp(dialect, 'shift_workbook');
    const res = await t.app.inject({ method: 'POST', url: '/api/ingest/upload?machine=line7', ...multipartFiles([{ name: 'PR20221013.txt', content: readFileSync(LINE7_DAYS[3]) }]) });
    expect(res.statusCode).toBe(200);
    stops = await listStops();
    expect(stops.length).toBeGreaterThan(4);
    const view = await json(`/api/operator/line7?shift=${shiftStart}`);
    machineName = view.machine.name;
    groupName = view.machine.groupName;
  });
  afterAll(async () => t?.close());

  it('downloads the shift prefilled, with dropdowns fed by the hidden Lists sheet', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/shift-logs/line7/template.xlsx?shift=${shiftStart}` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/spreadsheetml/);
    template = res.rawPayload;
    const workbook = await load(template);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Shift', 'Stops', 'Scrap', 'Crew', 'Lists', 'Downloaded', 'Instructions']);
    expect(workbook.getWorksheet('Lists')!.state).toBe('hidden');
    expect(workbook.getWorksheet('Downloaded')!.state).toBe('veryHidden');
    const shift = workbook.getWorksheet('Shift')!;
    expect(shift.getRow(1).font?.bold).toBe(true);
    expect(shift.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(shift.getCell('A2').value).toBe(machineName);
    const stopSheet = workbook.getWorksheet('Stops')!;
    // one row per stop of at least QMFG_REASON_PROMPT_SECONDS (60 s) that began in the shift, oldest first
    expect(stopSheet.actualRowCount - 1).toBe(stops.length);
    expect(stops.map((s, i) => stopSheet.getCell(`I${i + 2}`).value)).toEqual(stops.map((s) => s.startMs));
    expect(stopSheet.getCell('B2').value).toEqual(excelTime(stops[0].startMs));
    const lists = workbook.getWorksheet('Lists')!;
    const column = (letter: string) => lists.getColumn(letter).values.slice(2).filter((v) => v !== null && v !== undefined).map(String);
    expect(column('A')).toContain('Unplanned › Jam › Pocket jam');
    expect(column('A')).not.toContain('Scrap › Production › Seal defect');
    expect(column('B')).toContain('Scrap › Production › Seal defect');
    expect(column('D')).toContain('Test Administrator');
    expect(column('E')).toEqual([shift.getCell('B2').value]);
    lot = column('C')[0];
    expect(lot).toMatch(/\d/);
    // the dropdowns
    const validation = (sheet: string, cell: string) => workbook.getWorksheet(sheet)!.getCell(cell).dataValidation;
    expect(validation('Stops', 'D2')).toMatchObject({ type: 'list', formulae: [expect.stringMatching(/^Lists!\$A\$2:\$A\$\d+$/)] });
    expect(validation('Stops', 'G5')).toMatchObject({ type: 'list', formulae: [expect.stringMatching(/^Lists!\$A\$2/)] });
    expect(validation('Scrap', 'C2')).toMatchObject({ type: 'list', formulae: [expect.stringMatching(/^Lists!\$B\$2/)] });
    expect(validation('Scrap', 'B2')).toMatchObject({ type: 'list', formulae: [expect.stringMatching(/^Lists!\$C\$2/)] });
    expect(validation('Crew', 'B2')).toMatchObject({ type: 'list', formulae: [expect.stringMatching(/^Lists!\$D\$2/)] });
    expect(validation('Crew', 'A2')).toMatchObject({ type: 'list', formulae: [expect.stringMatching(/^Lists!\$E\$2/)] });
  });

  it('imports the good rows through the services and names every bad one', async () => {
    const workbook = await load(template);
    const label = workbook.getWorksheet('Shift')!.getCell('B2').value as string;
    const shiftSheet = workbook.getWorksheet('Shift')!;
    shiftSheet.getCell('D2').value = 20_000;
    shiftSheet.getCell('E2').value = 'Film splice at 09:10';
    const stopSheet = workbook.getWorksheet('Stops')!;
    stopSheet.getCell('D2').value = 'Planned › Changeover › Format change';
    stopSheet.getCell('E2').value = 'format change to 25-pack';
    stopSheet.getCell('D3').value = 'Pocket jam';
    const split = Math.floor((stops[2].startMs + stops[2].endMs) / 2000) * 1000;
    stopSheet.getCell('D4').value = 'unplanned > material > film splice';
    stopSheet.getCell('F4').value = excelTime(split);
    stopSheet.getCell('G4').value = 'Unplanned / Mechanical breakdown';
    stopSheet.getCell('D5').value = 'Jamm';
    const scrap = workbook.getWorksheet('Scrap')!;
    scrap.addRow([label, lot, 'Scrap › Production › Seal defect', 120, 30, 'seal defects after the splice']);
    scrap.addRow([label, '999999', 'Seal defect', 5, 0, null]);
    scrap.addRow([label, lot, 'Damaged pouch', -5, 0, null]);
    const crew = workbook.getWorksheet('Crew')!;
    crew.addRow([label, 'Test Administrator', 8.25]);
    crew.addRow([label, 'Temp Worker', 4]);
    filled = await bytesOf(workbook);

    const result = await upload(filled);
    const stopRows: RowResult[] = stops.map((_, i) => ({ sheet: 'Stops', row: i + 2, status: 'unchanged' }));
    stopRows[0].status = stopRows[1].status = stopRows[2].status = 'imported';
    stopRows[3] = { sheet: 'Stops', row: 5, status: 'error', field: 'reason', message: `Stops row 5, reason: 'Jamm' is not a reason of ${groupName}` };
    expect(result.rows).toEqual([
      { sheet: 'Shift', row: 2, status: 'imported' },
      ...stopRows,
      { sheet: 'Scrap', row: 2, status: 'imported' },
      { sheet: 'Scrap', row: 3, status: 'error', field: 'lot', message: `Scrap row 3, lot: lot 999999 has not run on ${machineName} and is not planned there` },
      { sheet: 'Scrap', row: 4, status: 'error', field: 'quantity', message: 'Scrap row 4, quantity: must be 0 or more (scrap is never negative)' },
      { sheet: 'Crew', row: 2, status: 'imported' },
      { sheet: 'Crew', row: 3, status: 'imported' },
    ]);
    expect(result).toMatchObject({ imported: 7, errors: 3, conflicts: 0, unchanged: stops.length - 4 });

    const log = await json(`/api/shift-logs/line7/${shiftStart}`);
    expect(log).toMatchObject({ notes: 'Film splice at 09:10', reportedCount: 20_000, openIssues: null, headCount: 2, crewHours: 12.25 });
    expect(log.crew).toEqual([{ person: 'Test Administrator', username: t.admin.username, hours: 8.25 }, { person: 'Temp Worker', username: null, hours: 4 }]);
    expect(log.scrap).toMatchObject([{ lot, reason: 'seal-defect', quantity: 120, rework: 30, comment: 'seal defects after the splice', by: t.admin.username }]);
    const stored = await listStops();
    const reasons = (s: Stop) => s.segments.map((g) => [g.startMs, g.reason, g.comment]);
    expect(reasons(stored[0])).toEqual([[stops[0].startMs, 'format-change', 'format change to 25-pack']]);
    expect(reasons(stored[1])).toEqual([[stops[1].startMs, 'pocket-jam', null]]);
    expect(reasons(stored[2])).toEqual([[stops[2].startMs, 'film-splice', null], [split, 'mechanical', null]]);
    expect(stored[3].segments).toEqual([]);
  });

  it('the same file again changes nothing and writes no audit entry', async () => {
    const before = await auditCount();
    const result = await upload(filled);
    expect(result.rows.filter((r) => r.status !== 'unchanged' && r.status !== 'error')).toEqual([]);
    // the rows that were wrong are still wrong; the rest is unchanged
    expect(result).toMatchObject({ imported: 0, conflicts: 0, errors: 3 });
    expect(result.unchanged).toBe(result.rows.length - 3);
    expect(await auditCount()).toBe(before);
  });

  it('a reason given on screen since the download is a conflict, and stays', async () => {
    const target = stops[0];
    const screen = await t.app.inject({ method: 'PUT', url: `/api/stops/line7/${target.startMs}/reasons`, payload: { segments: [{ reason: 'sealer-jam' }], changeReason: 'it was a jam, not a change' } });
    expect(screen.statusCode, screen.body).toBe(200);
    const workbook = await load(filled);
    workbook.getWorksheet('Stops')!.getCell('D2').value = 'Unplanned › Jam › Feeder jam';
    const before = await auditCount();
    const result = await upload(await bytesOf(workbook));
    const row = result.rows.find((r) => r.sheet === 'Stops' && r.row === 2)!;
    expect(row.status).toBe('conflict');
    expect(row.message).toBe(
      `Stops row 2: since this sheet was downloaded it was given 'Unplanned › Jam › Sealer jam' by ${t.admin.username} (the sheet says 'Unplanned › Jam › Feeder jam'); the stored reason is kept — change it on screen if it is wrong`,
    );
    expect(result).toMatchObject({ imported: 0, conflicts: 1 });
    expect(await auditCount()).toBe(before);
    const kept = (await listStops()).find((s) => s.startMs === target.startMs)!;
    expect(kept.segments.map((g) => g.reason)).toEqual(['sealer-jam']);
  });

  it('the week sheet: every shift of 2022-W41; notes changed on screen since are a conflict; a signed shift is locked', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/shift-logs/line7/template.xlsx?week=2022-W41' });
    expect(res.statusCode, res.body).toBe(200);
    const week = await load(res.rawPayload);
    const shiftSheet = week.getWorksheet('Shift')!;
    const labels = shiftSheet.getColumn('B').values.slice(2).map(String);
    const monday = local('2022-10-10T00:00');
    const starts = shiftSheet.getColumn('C').values.slice(2).map((v) => DateTime.fromJSDate(v as Date, { zone: 'utc' }).setZone(ZONE, { keepLocalTime: true }).toMillis());
    expect(labels.length).toBeGreaterThanOrEqual(5);
    expect(starts.every((ms) => ms >= monday && ms < monday + 7 * 86_400_000)).toBe(true);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    const own = starts.indexOf(shiftStart);
    expect(own).toBeGreaterThanOrEqual(0);
    // what the first upload stored is prefilled
    expect(shiftSheet.getCell(`E${own + 2}`).value).toBe('Film splice at 09:10');
    expect(week.getWorksheet('Lists')!.getColumn('E').values.slice(2).map(String)).toEqual(labels);
    const later = own + 1;
    const laterStart = starts[later];

    // the later shift's notes are saved on screen after the download; the sheet says otherwise
    const screen = await t.app.inject({ method: 'PUT', url: `/api/shift-logs/line7/${laterStart}`, payload: { version: 0, notes: 'typed on screen' } });
    expect(screen.statusCode, screen.body).toBe(200);
    shiftSheet.getCell(`E${later + 2}`).value = 'typed in the sheet';
    shiftSheet.getCell(`F${own + 2}`).value = 'Sealer bar 2 runs hot';
    let result = await upload(await bytesOf(week));
    const shiftRows = result.rows.filter((r) => r.sheet === 'Shift');
    expect(shiftRows.find((r) => r.row === later + 2)).toEqual({
      sheet: 'Shift', row: later + 2, status: 'conflict',
      message: `Shift row ${later + 2}: changed on screen since this sheet was downloaded (notes now read 'typed on screen'); what is stored is kept — download a fresh sheet`,
    });
    expect(shiftRows.find((r) => r.row === own + 2)?.status).toBe('imported');
    expect(shiftRows.filter((r) => r.row !== own + 2 && r.row !== later + 2).every((r) => r.status === 'unchanged')).toBe(true);
    expect((await json(`/api/shift-logs/line7/${laterStart}`)).notes).toBe('typed on screen');
    const log = await json(`/api/shift-logs/line7/${shiftStart}`);
    expect(log).toMatchObject({ notes: 'Film splice at 09:10', openIssues: 'Sealer bar 2 runs hot' });

    // the lead signs the 06:30 shift: a sheet that would change it is refused row by row, identical rows stay unchanged
    const lead = await t.as('lead');
    const submitted = await t.app.inject({ method: 'POST', url: `/api/shift-logs/line7/${shiftStart}/submit`, payload: { version: log.version } });
    expect(submitted.statusCode, submitted.body).toBe(200);
    const signed = await lead.inject({ method: 'POST', url: `/api/shift-logs/line7/${shiftStart}/sign`, payload: { version: submitted.json().version, signature: { password: lead.user.password, meaning: 'reviewed' } } });
    expect(signed.statusCode, signed.body).toBe(200);
    const fresh = await load((await t.app.inject({ method: 'GET', url: `/api/shift-logs/line7/template.xlsx?shift=${shiftStart}` })).rawPayload);
    fresh.getWorksheet('Shift')!.getCell('E2').value = 'after signing';
    fresh.getWorksheet('Scrap')!.addRow([labels[own], lot, 'Seal defect', 7, 0, null]);
    const before = await auditCount();
    result = await upload(await bytesOf(fresh));
    const locked = `the shift report of line7 for ${labels[own]} is signed by ${lead.user.username}: a lead must reopen it before anything in it changes`;
    expect(result.rows.filter((r) => r.status === 'conflict')).toEqual([
      { sheet: 'Shift', row: 2, status: 'conflict', message: `Shift row 2: ${locked}` },
      { sheet: 'Scrap', row: 3, status: 'conflict', message: `Scrap row 3: ${locked}` },
    ]);
    expect(result).toMatchObject({ imported: 0, errors: 0, conflicts: 2 });
    expect(await auditCount()).toBe(before);
  });

  it('refuses what is not a shift sheet as a whole, naming the file', async () => {
    const send = (content: Buffer) => t.app.inject({ method: 'POST', url: '/api/shift-logs/line7/upload', ...multipartFiles([{ name: 'notes.txt', content }]) });
    let res = await send(Buffer.from('lot,quantity\n1,2\n'));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toEqual([{ path: 'file', message: 'notes.txt is not an .xlsx workbook: upload the shift sheet downloaded from qmfg' }]);
    const other = new ExcelJS.Workbook();
    other.addWorksheet('Work orders').addRow(['Lot', 'Product', 'Quantity']);
    res = await send(await bytesOf(other));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0].message).toBe('notes.txt is not a qmfg shift sheet (it has no Shift or Stops sheet)');
  });
});
