// Endpoints of the shift and weekly line reports (/api/reports), typed by the server's schemas.
import { shiftReportSchema, weekReportSchema } from '../../../src/features/shift-reports/report-schemas.js';
import { requestJson } from './client.js';

export const getShiftReport = (machine: string, shiftStartMs: number) => requestJson('GET', `/api/reports/shift/${encodeURIComponent(machine)}/${shiftStartMs}`, shiftReportSchema);
export const shiftReportXlsxUrl = (machine: string, shiftStartMs: number) => `/api/reports/shift/${encodeURIComponent(machine)}/${shiftStartMs}?format=xlsx`;
export const getWeekReport = (group: string, week: string) => requestJson('GET', `/api/reports/week?${new URLSearchParams({ group, week })}`, weekReportSchema);
export const weekReportXlsxUrl = (group: string, week: string) => `/api/reports/week?${new URLSearchParams({ group, week, format: 'xlsx' })}`;
