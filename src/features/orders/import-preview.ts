// What importing a work-order file would do, without doing it: every row with the work order it
// would create, or its errors (the column named) and that it will be skipped. The same checks as the
// import itself — the file's own (parseWorkOrderFile) and the plant's (a lot that exists already) —
// so the preview does not promise what the import then refuses. The import re-checks everything when
// the file is sent again to commit it: the preview holds nothing and writes nothing.
import type { Executor } from '../../db/database.js';
import * as repo from './repository.js';
import type { ImportPreview, ImportPreviewRow } from './schemas.js';
import type { ParsedImport, ProductRef } from './spreadsheet.js';

export async function previewWorkOrderImport(db: Executor, parsed: ParsedImport, products: ProductRef[], fileName: string | null): Promise<ImportPreview> {
  const lots = parsed.rows.map((r) => r.input.lot);
  // MySQL compares lots case-insensitively (so would its unique index): match the same way
  const existing = new Set((await repo.listWorkOrders(db, lots)).map((wo) => wo.lot.toLowerCase()));
  const productName = new Map(products.map((p) => [p.key, p.name]));
  const inputs = new Map(parsed.rows.map((r) => [r.row, r.input]));
  const errorsOf = new Map<number, ImportPreviewRow['errors']>();
  const addError = (row: number, field: string, message: string) => errorsOf.set(row, [...(errorsOf.get(row) ?? []), { field, message }]);
  for (const e of parsed.errors) addError(e.row, e.field, e.message);
  for (const { row, input } of parsed.rows) {
    if (existing.has(input.lot.toLowerCase())) addError(row, 'lot', `work order '${input.lot}' already exists`);
  }
  const rows = parsed.cells.map((cells): ImportPreviewRow => {
    const errors = errorsOf.get(cells.row) ?? [];
    const input = inputs.get(cells.row);
    const create =
      input && errors.length === 0
        ? { lot: input.lot, product: input.product, productName: productName.get(input.product) ?? input.product, quantity: input.quantity, due: input.due ?? null }
        : null;
    return { ...cells, create, errors };
  });
  const toCreate = rows.filter((r) => r.create !== null).length;
  return { fileName, sheet: parsed.sheet, toCreate, withErrors: rows.length - toCreate, rows };
}
