// Endpoints of machine data and OEE (/api/oee, /api/oee/losses, /api/stops, /api/production, /api/ingest), typed by
// the schemas the server validates with.
import { z } from 'zod';
import {
  ingestFileSchema, lotsResponseSchema, machineStatesResponseSchema, undoImportResultSchema, uploadCheckSchema, uploadResponseSchema,
  type IngestFile, type IngestResultView, type LotCount, type MachineRunState, type MachineStatesResponse, type UndoImportResult, type UploadCheck,
} from '../../../src/features/machine-data/schemas.js';
import {
  oeeResponseSchema, profileSchema, rateResponseSchema, stopSchema, stopsResponseSchema,
  type RateResponse, type MachineOee, type OeeBucket, type OeeResponse, type ProfileView, type Stop, type StopsResponse,
} from '../../../src/features/oee/schemas.js';
import { lossesResponseSchema, type LossesResponse } from '../../../src/features/oee/loss-schemas.js';
import type { GroupBy } from '../../../src/core/oee/buckets.js';
import { ApiError, requestJson, uploadFile } from './client.js';

export type { LossesResponse };
export type LossSummary = LossesResponse['total'];
export type { IngestFile, MachineRunState, MachineStatesResponse, UndoImportResult, UploadCheck };
export type { GroupBy, RateResponse, IngestResultView, LotCount, MachineOee, OeeBucket, OeeResponse, ProfileView, Stop, StopsResponse };
/** A result of the OEE engine (the totals of a window, or one bucket's). */
export type OeeResult = MachineOee['totals'];

export interface OeeQuery {
  machines: readonly string[];
  from: number;
  to: number;
  profile?: string;
  groupBy?: GroupBy;
}

// epoch milliseconds: the server reads them as they are (ISO text would need the zone spelled out)
function windowParams(machines: readonly string[], from: number, to: number, profile?: string): URLSearchParams {
  const params = new URLSearchParams({ machine: machines.join(','), from: String(from), to: String(to) });
  if (profile) params.set('profile', profile);
  return params;
}

export function getOee(query: OeeQuery) {
  const params = windowParams(query.machines, query.from, query.to, query.profile);
  if (query.groupBy) params.set('groupBy', query.groupBy);
  return requestJson('GET', `/api/oee?${params}`, oeeResponseSchema);
}

/** Rate per second of one machine from its raw cycles (a shift or less: at most 12 h). */
export function getRate(query: { machine: string; from: number; to: number; rollingSeconds: number }) {
  const params = windowParams([query.machine], query.from, query.to);
  params.set('rollingSeconds', String(query.rollingSeconds));
  return requestJson('GET', `/api/oee/rate?${params}`, rateResponseSchema);
}

export function listStops(query: { machine: string; from: number; to: number; minSeconds?: number; profile?: string }) {
  const params = windowParams([query.machine], query.from, query.to, query.profile);
  if (query.minSeconds !== undefined) params.set('minSeconds', String(query.minSeconds));
  return requestJson('GET', `/api/stops?${params}`, stopsResponseSchema);
}

/** `changeReason`: why a reason already given is changed (required then) */
export const setStopReason = (machine: string, startMs: number, body: { reason: string | null; comment: string | null; changeReason?: string }) =>
  requestJson('PUT', `/api/stops/${encodeURIComponent(machine)}/${startMs}`, stopSchema, body);

export const listProfiles = () => requestJson('GET', '/api/oee/profiles', z.array(profileSchema));

export function listLots(query: { machines: readonly string[]; from: number; to: number }) {
  const params = windowParams(query.machines, query.from, query.to);
  return requestJson('GET', `/api/production/lots?${params}`, lotsResponseSchema);
}

/**
 * Uploads one sensor file for a machine (multipart), reporting the bytes sent. One request per
 * file, so that each file has its own progress bar and its own result even when another fails.
 */
export async function uploadSensorFile(machine: string, file: File, onProgress: (fraction: number) => void): Promise<IngestResultView> {
  const answer = await uploadFile(`/api/ingest/upload?machine=${encodeURIComponent(machine)}`, file, uploadResponseSchema, onProgress);
  const result = answer.files[0];
  if (!result) throw new ApiError(`The server's answer to the upload of ${file.name} named no file.`, 200, 'bad_response');
  return result;
}

/** The folder a file was chosen in (a folder pick gives "Line7/PR20221011.txt"), or null. */
export function folderOf(file: File): string | null {
  const relative = (file as File & { webkitRelativePath?: string }).webkitRelativePath ?? '';
  const cut = relative.lastIndexOf('/');
  return cut > 0 ? relative.slice(0, cut) : null;
}

/** Reads a sensor file on the server before importing it: what it holds and which machine it belongs to. Stores nothing. */
export function checkSensorFile(file: File, machine: string | null): Promise<UploadCheck> {
  const params = new URLSearchParams();
  if (machine) params.set('machine', machine);
  const folder = folderOf(file);
  if (folder) params.set('folder', folder);
  return uploadFile(`/api/ingest/check?${params}`, file, uploadCheckSchema);
}

export function listImports(query: { sources?: readonly string[]; limit?: number } = {}) {
  const params = new URLSearchParams({ limit: String(query.limit ?? 10) });
  if (query.sources?.length) params.set('source', query.sources.join(','));
  return requestJson('GET', `/api/ingest/files?${params}`, z.array(ingestFileSchema));
}

export const undoImport = (fileId: number, reason: string) => requestJson('POST', `/api/ingest/files/${fileId}/undo`, undoImportResultSchema, { reason });

export function getMachineStates(machines: readonly string[]) {
  return requestJson('GET', `/api/production/state?${new URLSearchParams({ machine: machines.join(',') })}`, machineStatesResponseSchema);
}

/** The loss model of the machines over the window: waterfall, six big losses, two-level Pareto, TEEP, labour. */
export function getLosses(query: { machines: readonly string[]; from: number; to: number; profile?: string }) {
  return requestJson('GET', `/api/oee/losses?${windowParams(query.machines, query.from, query.to, query.profile)}`, lossesResponseSchema);
}
