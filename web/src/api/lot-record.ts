// The lot record (eDHR) of a work order: its content and hash, and the addresses of its exports.
import { lotRecordExportSchema } from '../../../src/features/lot-record/schemas.js';
import { requestJson } from './client.js';

export type { LotRecordExport, RecordSection, RecordTable, Cell } from '../../../src/features/lot-record/schemas.js';

const recordPath = (lot: string) => `/api/work-orders/${encodeURIComponent(lot)}/record`;
export const getLotRecord = (lot: string) => requestJson('GET', recordPath(lot), lotRecordExportSchema);
export const lotRecordFileUrl = (lot: string, extension: 'pdf' | 'xlsx' | 'json') => `${recordPath(lot)}.${extension}`;
