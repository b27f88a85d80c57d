// Endpoints of work orders (/api/work-orders, by lot) and the planning board (/api/schedule/board),
// typed by the schemas the server validates with.
import { z } from 'zod';
import {
  boardSchema, importPreviewSchema, loadBodySchema, loadModeSchema, operationActionSchema, importResultSchema, replanResultSchema, workOrderSchema, type Board, type ImportPreview, type ImportResult, type WorkOrder, type WorkOrderCreate, type WorkOrderListQuery,
  type WorkOrderUpdate,
} from '../../../src/features/orders/schemas.js';
import type { AuditEntry } from '../../../src/features/audit/repository.js';
import { WORK_ORDER_PAGE_MAX } from '../../../src/core/limits.js';
import { promiseResultSchema } from '../../../src/features/orders/promise-schemas.js';
import { requestJson, requestVoid, uploadFile } from './client.js';

export type { Board, BoardBar } from '../../../src/features/orders/schemas.js';
export type BoardLane = Board['lanes'][number];

/** What the history of a work order shows: the audit trail's entries for that lot. */
const historyEntrySchema = z.object({
  at: z.number(),
  actor: z.string(),
  action: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  reason: z.string().nullable(),
}) satisfies z.ZodType<Pick<AuditEntry, 'at' | 'actor' | 'action' | 'before' | 'after' | 'reason'>>;
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

const lotPath = (lot: string) => `/api/work-orders/${encodeURIComponent(lot)}`;
const operationPath = (lot: string, step: number, action: string) => `${lotPath(lot)}/operations/${step}/${action}`;

export type WorkOrderFilters = Partial<Pick<WorkOrderListQuery, 'search' | 'product' | 'status' | 'late' | 'sort' | 'dir'>>;

/** The query string of a list or export request; empty filters are left out. */
export function filtersQuery(filters: WorkOrderFilters): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Every work order matching the filters: the list comes in pages (default 500), fetched one after the other. */
export async function listWorkOrders(filters: WorkOrderFilters = {}): Promise<WorkOrder[]> {
  const all: WorkOrder[] = [];
  const query = filtersQuery(filters);
  for (;;) {
    const paging = `limit=${WORK_ORDER_PAGE_MAX}&offset=${all.length}`;
    const page = await requestJson('GET', `/api/work-orders${query ? `${query}&` : '?'}${paging}`, z.array(workOrderSchema));
    all.push(...page);
    if (page.length < WORK_ORDER_PAGE_MAX) return all;
  }
}
export const getWorkOrder = (lot: string) => requestJson('GET', lotPath(lot), workOrderSchema);
export const getWorkOrderHistory = (lot: string) => requestJson('GET', `${lotPath(lot)}/history`, z.array(historyEntrySchema));
export const createWorkOrder = (input: WorkOrderCreate) => requestJson('POST', '/api/work-orders', workOrderSchema, input);
export const updateWorkOrder = (lot: string, patch: WorkOrderUpdate) => requestJson('PATCH', lotPath(lot), workOrderSchema, patch);
export const deleteWorkOrder = (lot: string, version: number, reason: string) => requestVoid('DELETE', `${lotPath(lot)}?version=${version}`, { reason });

/** The body of a load request, as the server's schema takes it (mode defaults to append). */
export type LoadRequest = z.input<typeof loadBodySchema>;
export type LoadMode = z.infer<typeof loadModeSchema>;
export const loadOperation = (lot: string, step: number, request: LoadRequest) => requestJson('POST', operationPath(lot, step, 'load'), workOrderSchema, request);

export type OperationAction = 'park' | 'hold' | 'release' | 'close' | 'pin' | 'unpin';
export const operationAction = (lot: string, step: number, action: OperationAction, body: z.input<typeof operationActionSchema> = {}) =>
  requestJson('POST', operationPath(lot, step, action), workOrderSchema, body);

export const getBoard = (group: string, from: number, to: number) =>
  requestJson('GET', `/api/schedule/board?group=${encodeURIComponent(group)}&from=${Math.floor(from)}&to=${Math.ceil(to)}`, boardSchema);

/** Re-plans the whole plant now (planners); the board updates through the live events. */
export const replanPlant = () => requestJson('POST', '/api/schedule/replan', replanResultSchema);

// ---- spreadsheets: import, template, export (src/features/orders/io-routes.ts) ----

export const templateUrl = '/api/work-orders/template.xlsx';
export const exportUrl = (format: 'xlsx' | 'csv', filters: WorkOrderFilters) => `/api/work-orders/export.${format}${filtersQuery(filters)}`;

/** What importing the file would create, row by row; nothing is written. */
export const previewWorkOrderImport = (file: File): Promise<ImportPreview> => uploadFile('/api/work-orders/import/preview', file, importPreviewSchema);

/** Imports the file: the server checks it again and creates the good rows. */
export const importWorkOrders = (file: File): Promise<ImportResult> => uploadFile('/api/work-orders/import', file, importResultSchema);

export type { ImportPreview, ImportResult, WorkOrder };

/** One recorded forecast of a lot (GET …/forecast/history); instants epoch ms. */
const forecastHistoryRowSchema = z.object({
  step: z.number(),
  machine: z.string(),
  at: z.number(),
  produced: z.number(),
  standardEnd: z.number().nullable(),
  observedEnd: z.number().nullable(),
  forecastEnd: z.number(),
  method: z.string(),
});
export type ForecastHistoryRow = z.infer<typeof forecastHistoryRowSchema>;
export const getForecastHistory = (lot: string) =>
  requestJson('GET', `${lotPath(lot)}/forecast/history`, z.object({ history: z.array(forecastHistoryRowSchema) })).then((body) => body.history);

/** Capable-to-promise: when `quantity` of `product` could be finished if ordered now (changes nothing). */
export const askPromise = (product: string, quantity: number) => requestJson('POST', '/api/schedule/promise', promiseResultSchema, { product, quantity });
export type PromiseAnswerView = z.infer<typeof promiseResultSchema>;
