// The operator shift sheet (/api/shift-logs/:machine/template.xlsx and …/upload): download links
// and the upload, typed by the schema the server answers with.
import { workbookImportResultSchema, type WorkbookImportResult, type WorkbookRowResult } from '../../../src/features/shift-reports/schemas.js';
import { uploadFile } from './client.js';

export type { WorkbookImportResult, WorkbookRowResult };

const base = (machine: string) => `/api/shift-logs/${encodeURIComponent(machine)}`;

/** The prefilled sheet of one shift (its start, epoch ms). */
export const shiftSheetUrl = (machine: string, shiftStartMs: number): string => `${base(machine)}/template.xlsx?shift=${shiftStartMs}`;

/** The prefilled sheet of every shift of an ISO week ("2022-W41"). */
export const weekSheetUrl = (machine: string, isoWeek: string): string => `${base(machine)}/template.xlsx?week=${encodeURIComponent(isoWeek)}`;

/** Uploads a filled sheet; each row comes back imported, unchanged, error or conflict. */
export function uploadShiftSheet(machine: string, file: File, onProgress?: (fraction: number) => void): Promise<WorkbookImportResult> {
  return uploadFile(`${base(machine)}/upload`, file, workbookImportResultSchema, onProgress);
}
