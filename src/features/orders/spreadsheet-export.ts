// Work orders into spreadsheets: the work-order list as an export table with each lot's signatures
// (written as .xlsx or CSV by shared/table-export) and the import template with its input help.
import { DateTime } from 'luxon';
import type { DataValidation, Worksheet } from 'exceljs';
import type { Product } from '../plant/schemas.js';
import { excelDate, newWorkbook, styleHeader, workbookBytes, xmlSafeText, type ColumnKind, type ExportColumn, type ExportTable, type ExportValue } from '../../shared/table-export.js';
import type { Executor } from '../../db/database.js';
import type { WorkOrder, WorkOrderListQuery } from './schemas.js';
import { listWorkOrderViews } from './service.js';
import { signatureSummaries } from './sign-off.js';

const STEP_COLUMNS = ['process', 'machine', 'state', 'produced', 'start', 'end'] as const;

/**
 * The work-order list as a table: one row per lot, then six columns per routing step. Produced is the
 * work order's progress (good units of its furthest step that produced, as on every screen); Late is
 * "yes" when planned late, "at risk" when only the estimate of its unplanned steps ends after due.
 */
export function workOrderExportTable(views: WorkOrder[]): ExportTable {
  const steps = Math.max(0, ...views.map((v) => v.operations.length));
  const columns: ExportColumn[] = [
    { header: 'Lot', kind: 'text', width: 12 },
    { header: 'Product', kind: 'text', width: 22 },
    { header: 'Item number', kind: 'text', width: 12 },
    { header: 'Quantity', kind: 'integer', width: 11 },
    { header: 'Due', kind: 'due', width: 17 },
    { header: 'Status', kind: 'text', width: 11 },
    { header: 'Forecast end', kind: 'instant', width: 17 },
    { header: 'Late', kind: 'text', width: 6 },
    { header: 'Produced', kind: 'integer', width: 11 },
    { header: 'Priority', kind: 'integer', width: 8 },
    { header: 'Rate mode', kind: 'text', width: 10 },
    { header: 'Notes', kind: 'text', width: 30 },
  ];
  for (let step = 1; step <= steps; step++) {
    const kinds: Record<(typeof STEP_COLUMNS)[number], [ColumnKind, number]> = {
      process: ['text', 18], machine: ['text', 14], state: ['text', 9], produced: ['integer', 11], start: ['instant', 17], end: ['instant', 17],
    };
    for (const name of STEP_COLUMNS) columns.push({ header: `Step ${step} ${name}`, kind: kinds[name][0], width: kinds[name][1] });
  }
  const rows = views.map((v) => {
    const row: ExportValue[] = [
      v.lot, v.productName, v.itemNumber, v.quantity, v.due, v.status, v.forecastEnd, v.late ? 'yes' : v.lateRisk ? 'at risk' : 'no', v.produced, v.priority, v.rateMode ?? '', v.notes,
    ];
    for (let step = 0; step < steps; step++) {
      const op = v.operations[step];
      if (!op) row.push(null, null, null, null, null, null);
      else row.push(op.groupName, op.machineName, op.state, op.produced, op.forecastStart, op.forecastEnd);
    }
    return row;
  });
  return { columns, rows };
}

/** The work orders matching `query` as the export table, with the electronic signatures of each lot (manifestation and validity). */
export async function workOrderExport(db: Executor, zone: string, query: WorkOrderListQuery): Promise<ExportTable> {
  const views = await listWorkOrderViews(db, zone, query);
  const table = workOrderExportTable(views);
  const signatures = await signatureSummaries(db, views.map((v) => v.lot));
  table.columns.push({ header: 'Electronic signatures', kind: 'text', width: 60 });
  views.forEach((v, i) => table.rows[i].push(signatures.get(v.lot) ?? null));
  return table;
}

/** rows of the template that get input help (formats, validation) */
const TEMPLATE_ROWS = 1000;

/**
 * The import template: the work-order sheet with its headers and one example row, and a "Products"
 * sheet listing what the product column accepts. `today` is the plant-local date of the example's due.
 */
export async function workOrderTemplate(products: Pick<Product, 'key' | 'name' | 'shortName' | 'itemNumber' | 'routing'>[], groupNames: Map<string, string>, today: string): Promise<Buffer> {
  const workbook = await newWorkbook();
  const sheet = workbook.addWorksheet('Work orders');
  const columns = [
    { header: 'Lot', width: 12, note: 'Lot number, unique (e.g. 159070). Leading zeros are kept: this column is formatted as text.' },
    { header: 'Product', width: 22, note: 'Product key, 7-digit item number or product name — see the Products sheet.' },
    { header: 'Quantity', width: 11, note: 'Units to make, a whole number > 0.' },
    { header: 'Due', width: 12, note: 'Due date (YYYY-MM-DD): due by the end of that day, plant time. Optional.' },
    { header: 'Priority', width: 9, note: '0 (normal) to 9. Optional.' },
    { header: 'Notes', width: 40, note: 'Free text. Optional.' },
    { header: 'Rate mode', width: 11, note: "Forecast rate: 'standard' (routing rate), 'observed' (last hours of machine data) or 'recommended' (learned from machine data); empty = site default." },
  ];
  styleHeader(sheet, columns);
  columns.forEach((c, i) => {
    sheet.getRow(1).getCell(i + 1).note = c.note;
  });
  const example = products[0];
  sheet.addRow([
    '0159070',
    example?.itemNumber ?? '',
    200_000,
    excelDate(DateTime.fromISO(today, { zone: 'utc' }).plus({ days: 14 })),
    0,
    'Example row: overwrite it with your first work order',
    'standard',
  ]);
  // column formats reach the cells a planner types into: '@' keeps typed leading zeros of lots
  sheet.getColumn(1).numFmt = '@';
  sheet.getColumn(3).numFmt = '#,##0';
  sheet.getColumn(4).numFmt = 'yyyy-mm-dd';
  const rows = (column: string) => `${column}2:${column}${TEMPLATE_ROWS + 1}`;
  // one validation per range (not per cell): ExcelJS supports it at run time, its typings do not
  const validations = (sheet as Worksheet & { dataValidations: { add(range: string, validation: DataValidation): void } }).dataValidations;
  validations.add(rows('C'), {
    type: 'whole', operator: 'greaterThan', formulae: [0], allowBlank: true, showErrorMessage: true, errorTitle: 'Quantity', error: 'A whole number greater than 0',
  });
  validations.add(rows('E'), {
    type: 'whole', operator: 'between', formulae: [0, 9], allowBlank: true, showErrorMessage: true, errorTitle: 'Priority', error: 'A whole number from 0 to 9',
  });
  validations.add(rows('G'), {
    type: 'list', formulae: ['"standard,observed,recommended"'], allowBlank: true, showErrorMessage: true, errorTitle: 'Rate mode',
    error: "Choose 'standard', 'observed' or 'recommended', or leave it empty for the site default",
  });
  const list = workbook.addWorksheet('Products');
  styleHeader(list, [
    { header: 'Key', width: 16 },
    { header: 'Item number', width: 12 },
    { header: 'Name', width: 24 },
    { header: 'Short name', width: 12 },
    { header: 'Routing', width: 50 },
  ]);
  for (const p of products) {
    list.addRow([p.key, p.itemNumber, xmlSafeText(p.name), xmlSafeText(p.shortName), p.routing.map((s) => groupNames.get(s.group) ?? s.group).join(' → ')]);
  }
  return workbookBytes(workbook);
}
