// Endpoints of genealogy (/api/genealogy/:lot): a kit lot's consumption and a lot's trace, typed by
// the schemas the server validates with.
import { consumptionSchema, traceSchema, type ConsumptionUpdate, type TraceDirection } from '../../../src/features/genealogy/schemas.js';
import { requestJson } from './client.js';

export type { Consumption, Trace, TraceLink, TraceNode, TraceDirection } from '../../../src/features/genealogy/schemas.js';

const lotPath = (lot: string) => `/api/genealogy/${encodeURIComponent(lot)}`;

export const getConsumption = (lot: string) => requestJson('GET', lotPath(lot), consumptionSchema);
export const recordConsumption = (lot: string, body: ConsumptionUpdate) => requestJson('PUT', lotPath(lot), consumptionSchema, body);
export const clearConsumption = (lot: string, version: number) => requestJson('DELETE', `${lotPath(lot)}?version=${version}`, consumptionSchema);
export const getTrace = (lot: string, direction: TraceDirection) => requestJson('GET', `${lotPath(lot)}/trace?direction=${direction}`, traceSchema);
export const traceExportUrl = (lot: string, direction: TraceDirection, format: 'xlsx' | 'csv' | 'json') => `${lotPath(lot)}/trace.${format}?direction=${direction}`;
/** The Trace page of a lot, and the work-order page (list with the lot's panel open). */
export const tracePage = (lot: string, direction: TraceDirection = 'forward') => `/trace/${encodeURIComponent(lot)}?direction=${direction}`;
export const workOrderPage = (lot: string) => `/work-orders?search=${encodeURIComponent(lot)}&open=${encodeURIComponent(lot)}`;
