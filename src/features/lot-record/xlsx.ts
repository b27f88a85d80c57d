// The lot record as an .xlsx workbook: a read-only copy that keeps search and sort. A summary sheet
// (lot, content hash, generation time, every section's facts) and one sheet per table, each with a
// frozen header row and an autofilter, protected so that cells cannot be edited while filtering and
// sorting stay allowed. Times are text with their zone offset (Excel has no zones).
import type { WorksheetProtection } from 'exceljs';
import { styleHeader, xmlSafeText } from '../../shared/table-export.js';
import type { Cell, LotRecordExport } from './schemas.js';

/** what the protection allows: looking, selecting, filtering and sorting — not editing */
const READ_ONLY: Partial<WorksheetProtection> = { selectLockedCells: true, selectUnlockedCells: true, autoFilter: true, sort: true };

const cellValue = (value: Cell): string | number | null => {
  if (value === null) return null;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return value;
  // a text starting like a formula would be run by a spreadsheet on opening
  const text = xmlSafeText(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
};

/** Sheet names: at most 31 characters, none of []:*?/\ , unique in the workbook. */
function sheetName(title: string, taken: Set<string>): string {
  const base = title.replace(/[[\]:*?/\\]/g, ' ').slice(0, 28).trim() || 'Table';
  let name = base;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base.slice(0, 27 - String(n).length)} ${n}`;
  taken.add(name.toLowerCase());
  return name;
}

export async function lotRecordXlsx(record: LotRecordExport): Promise<Buffer> {
  const { content } = record;
  // loaded when asked for: most requests and CLI commands never write a workbook
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'qmfg';
  workbook.title = `Lot record ${content.lot}`;
  workbook.subject = `content SHA-256 ${record.contentHash}`;
  workbook.keywords = `qmfg-content-sha256:${record.contentHash}`;
  const taken = new Set<string>();

  const summary = workbook.addWorksheet(sheetName('Summary', taken));
  styleHeader(summary, [{ header: 'Section', width: 28 }, { header: 'Field', width: 30 }, { header: 'Value', width: 80 }]);
  summary.addRow(['Record', 'Lot', content.lot]);
  summary.addRow(['Record', 'Plant time zone', content.zone]);
  summary.addRow(['Record', 'Generated at', record.generatedAt]);
  summary.addRow(['Record', 'Content SHA-256', record.contentHash]);
  for (const section of content.sections) for (const fact of section.facts) summary.addRow([section.title, fact.label, cellValue(fact.value)]);
  summary.autoFilter = { from: { row: 1, column: 1 }, to: { row: summary.rowCount, column: 3 } };
  await summary.protect('', READ_ONLY);

  for (const section of content.sections) {
    for (const t of section.tables) {
      const sheet = workbook.addWorksheet(sheetName(t.title, taken));
      styleHeader(sheet, t.columns.map((c, i) => ({ header: c.header, width: Math.min(60, Math.max(10, c.header.length + 2, ...t.rows.slice(0, 200).map((r) => String(r[i] ?? '').length + 1))) })));
      for (const row of t.rows) sheet.addRow(row.map(cellValue));
      t.columns.forEach((c, i) => {
        if (c.kind === 'text' || c.kind === 'flag') sheet.getColumn(i + 1).alignment = { wrapText: true, vertical: 'top' };
      });
      sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(1, sheet.rowCount), column: Math.max(1, t.columns.length) } };
      await sheet.protect('', READ_ONLY);
    }
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
