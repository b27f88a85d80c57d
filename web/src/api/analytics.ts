// Endpoints of machine data and OEE (/api/oee, /api/stops, /api/production, /api/ingest).
// PROVISIONAL: shapes written from the planned API until src/features/oee/schemas.ts lands.
import { z } from 'zod';
import type { OeeResult } from '../../../src/core/oee/index.js';
import { ApiError, requestJson, requestVoid } from './client.js';

const stopClassSchema = z.object({ minSeconds: z.number(), maxSeconds: z.number().nullable(), count: z.number(), seconds: z.number() });
const oeeResultSchema = z.looseObject({
  machine: z.string().nullable(),
  from: z.string(),
  to: z.string(),
  profile: z.string(),
  cycles: z.number(),
  parts: z.number(),
  emptyCycles: z.number(),
  reworks: z.number(),
  loadingSeconds: z.number(),
  availabilityLossSeconds: z.number(),
  netRunSeconds: z.number(),
  availability: z.number().nullable(),
  performance: z.number().nullable(),
  quality: z.number().nullable(),
  oee: z.number().nullable(),
  stops: z.object({ count: z.number(), seconds: z.number(), classes: z.array(stopClassSchema) }),
  mtbfSeconds: z.number().nullable(),
  mttrSeconds: z.number().nullable(),
  averageRatePerMinute: z.number().nullable(),
  emptyRate: z.number().nullable(),
  reworkRate: z.number().nullable(),
  runSeconds: z.number(),
  effectiveRatePerMinute: z.number().nullable(),
  rejects: z.number(),
  warnings: z.array(z.string()),
});
const oeeResponseSchema = z.object({
  machines: z.array(z.object({ machine: z.string(), totals: oeeResultSchema, series: z.array(oeeResultSchema) })),
});
export type OeeMachineResult = z.infer<typeof oeeResponseSchema>['machines'][number];
export type OeeResponse = z.infer<typeof oeeResponseSchema>;
export type { OeeResult };

export type GroupBy = 'hour' | 'shift' | 'day' | 'week' | 'month';

export interface OeeQuery {
  machines: readonly string[];
  from: number;
  to: number;
  profile?: string;
  groupBy?: GroupBy;
}

const iso = (ms: number) => new Date(ms).toISOString();

function oeePath(query: OeeQuery): string {
  const params = new URLSearchParams({ machine: query.machines.join(','), from: iso(query.from), to: iso(query.to) });
  if (query.profile) params.set('profile', query.profile);
  if (query.groupBy) params.set('groupBy', query.groupBy);
  return `/api/oee?${params}`;
}

export const getOee = (query: OeeQuery) => requestJson('GET', oeePath(query), oeeResponseSchema);

const stopSchema = z.object({
  machine: z.string(),
  start: z.number(),
  end: z.number(),
  seconds: z.number(),
  class: z.number(),
  reason: z.string().nullable(),
  comment: z.string().nullable(),
});
export type Stop = z.infer<typeof stopSchema>;
const stopListSchema = z.object({ stops: z.array(stopSchema), truncated: z.boolean() });
export type StopList = z.infer<typeof stopListSchema>;

export function listStops(query: { machine: string; from: number; to: number; minSeconds?: number; profile?: string }) {
  const params = new URLSearchParams({ machine: query.machine, from: iso(query.from), to: iso(query.to) });
  if (query.minSeconds !== undefined) params.set('minSeconds', String(query.minSeconds));
  if (query.profile) params.set('profile', query.profile);
  return requestJson('GET', `/api/stops?${params}`, stopListSchema);
}

export const setStopReason = (machine: string, start: number, body: { reason: string | null; comment: string | null }) =>
  requestVoid('PUT', `/api/stops/${encodeURIComponent(machine)}/${start}`, body);

const lotSchema = z.object({
  machine: z.string(),
  lot: z.string(),
  item: z.string(),
  cycles: z.number(),
  parts: z.number(),
  reworks: z.number(),
  firstAt: z.number(),
  lastAt: z.number(),
});
export type LotCount = z.infer<typeof lotSchema>;

export function listLots(query: { machines: readonly string[]; from: number; to: number }) {
  const params = new URLSearchParams({ machine: query.machines.join(','), from: iso(query.from), to: iso(query.to) });
  return requestJson('GET', `/api/production/lots?${params}`, z.object({ lots: z.array(lotSchema) }));
}

const profileRowSchema = z.object({ name: z.string(), version: z.number(), builtin: z.boolean() }).loose();
export const listProfiles = () => requestJson('GET', '/api/oee/profiles', z.array(profileRowSchema));
export type ProfileRow = z.infer<typeof profileRowSchema>;

const uploadResultSchema = z.object({
  file: z.string(),
  cycles: z.number(),
  errors: z.array(z.object({ line: z.number(), message: z.string() })),
  errorCount: z.number(),
  alreadyImported: z.boolean(),
  skippedBytes: z.number(),
  warnings: z.array(z.string()),
});
export type UploadFileResult = z.infer<typeof uploadResultSchema>;

/**
 * Uploads one sensor file for a machine (multipart), reporting the bytes sent. One request per
 * file, so that each file has its own progress bar and its own result even when another fails.
 * XMLHttpRequest because fetch cannot report upload progress.
 */
export function uploadSensorFile(machine: string, file: File, onProgress: (fraction: number) => void): Promise<UploadFileResult> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', `/api/ingest/upload?machine=${encodeURIComponent(machine)}`);
    request.setRequestHeader('accept', 'application/json');
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onerror = () => reject(new ApiError('Cannot reach the qmfg server. Check the network and try again.', 0, 'network'));
    request.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(request.responseText);
      } catch {
        body = undefined;
      }
      if (request.status < 200 || request.status >= 300) {
        const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
        reject(new ApiError(error?.message ?? `The server answered ${request.status}`, request.status, error?.code ?? `http_${request.status}`));
        return;
      }
      const parsed = z.object({ files: z.array(uploadResultSchema) }).safeParse(body);
      const result = parsed.success ? parsed.data.files[0] : undefined;
      if (!result) {
        reject(new ApiError(`The server's answer to the upload of ${file.name} did not have the expected shape.`, request.status, 'bad_response'));
        return;
      }
      resolve(result);
    };
    const form = new FormData();
    form.append('file', file, file.name);
    request.send(form);
  });
}
