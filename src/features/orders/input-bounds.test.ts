// Plausible input only: due dates within 2000–2100, lots from text or number cells, not TRUE/FALSE.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { DEMO_PRODUCTS } from '../demo/plant.js';
import { workOrderCreateSchema } from './schemas.js';
import { parseWorkOrderFile } from './spreadsheet.js';

const products = DEMO_PRODUCTS.map((p) => ({ key: p.key, name: p.name, itemNumber: p.itemNumber }));

describe('plausible work-order input', () => {
  it('refuses due dates outside 2000–2100 with the field named', () => {
    for (const due of ['0000-01-01', '1999-12-31', '2101-01-01', '9999-12-31T00:00']) {
      const parsed = workOrderCreateSchema.safeParse({ lot: 'B1', product: 'rsv', quantity: 1, due });
      expect(parsed.success, due).toBe(false);
      expect(parsed.error?.issues[0].path, due).toEqual(['due']);
    }
    expect(workOrderCreateSchema.safeParse({ lot: 'B1', product: 'rsv', quantity: 1, due: '2026-12-01' }).success).toBe(true);
  });

  it('refuses a TRUE/FALSE cell as a lot number (row error), keeps number lots', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Work orders');
    sheet.addRow(['Lot', 'Product', 'Quantity']);
    sheet.addRow([true, 'rsv', 100]);
    sheet.addRow([159070, 'rsv', 100]);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    const parsed = await parseWorkOrderFile(bytes, { products, fileName: 'bool.xlsx' });
    expect(parsed.rows.map((r) => r.input.lot)).toEqual(['159070']);
    expect(parsed.errors).toEqual([{ row: 2, field: 'lot', message: expect.stringMatching(/TRUE\/FALSE/) }]);
  });
});
