// The analytics workbook: times are real Excel dates (plant-local wall clock, date-time format),
// checked by reading the built file back with ExcelJS.
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { computeOee } from '../../../../src/core/oee/oee.js';
import { BUILTIN_PROFILES } from '../../../../src/core/oee/profiles.js';
import { withUnitCounts } from '../../../../src/core/oee/units.js';
import { buildWorkbook } from './export.js';

const ZONE = 'America/Los_Angeles';
// 11 Oct 2022 07:26:02 PDT = 14:26:02 UTC
const AT = Date.UTC(2022, 9, 11, 14, 26, 2);

describe('analytics workbook', () => {
  it('writes instants as Excel dates showing plant-local time, with a date-time format', async () => {
    const cycles = [0, 400, 800, 90_000, 90_400].map((ms, i) => ({ at: AT + ms, lot: '159070', serial: String(i + 1), part: true }));
    const totals = withUnitCounts(computeOee({ machine: 'line8', cycles, from: AT - 60_000, to: AT + 3_600_000, profile: BUILTIN_PROFILES['itrak-legacy'] }));
    const stop = { machine: 'line8', start: '', end: '', startMs: AT + 800, endMs: AT + 90_000, seconds: 89.2, countedSeconds: 89.2, startsBeforeWindow: false, endsAfterWindow: false, class: 2, classLabel: '60–300 s', availabilityLoss: true, reason: null, label: null, category: null, comment: null, reasonBy: null, automatic: false, segments: [] };
    const blob = await buildWorkbook({
      machines: [{ key: 'line8', name: 'Line 8', totals, series: [totals], stops: [stop] }],
      zone: ZONE,
      windowLabel: 'test',
      from: AT - 60_000,
      to: AT + 3_600_000,
      stopMinSeconds: 60,
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await blob.arrayBuffer());
    const start = workbook.getWorksheet('stops')?.getRow(2).getCell(2);
    expect(start?.type).toBe(ExcelJS.ValueType.Date);
    expect(start?.numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    // Excel dates carry no zone: the cell shows the plant's wall clock, 07:26:02.8
    expect((start?.value as Date).toISOString()).toBe('2022-10-11T07:26:02.800Z');
    const from = workbook.getWorksheet('productivity')?.getRow(2).getCell(2);
    expect(from?.type).toBe(ExcelJS.ValueType.Date);
    expect((from?.value as Date).toISOString()).toBe('2022-10-11T07:25:02.000Z');
    const stats = workbook.getWorksheet('stats');
    const fromRow = stats?.getRows(1, 10)?.find((row) => row.getCell(1).value === 'From');
    expect(fromRow?.getCell(2).type).toBe(ExcelJS.ValueType.Date);
  });
});
