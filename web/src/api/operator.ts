// Endpoints of the operator screen (issue 13): the view of a line and shift, the reasons of a stop,
// and the shift log (notes, crew, scrap, submit, sign, reopen, handover), typed by the server's schemas.
import type { z } from 'zod';
import { operatorViewSchema, type OperatorView } from '../../../src/features/shift-reports/schemas.js';
import { segmentsSchema, shiftLogViewSchema, type ScrapInput, type ShiftLogView } from '../../../src/features/operator-input/schemas.js';
import type { SignatureInput } from '../../../src/features/auth/schemas.js';
import { requestJson } from './client.js';

export type { OperatorView, ShiftLogView };
export type OperatorStop = OperatorView['stops'][number];
export type Segments = z.infer<typeof segmentsSchema>;

const machinePath = (machine: string) => encodeURIComponent(machine);
const logPath = (machine: string, shiftStartMs: number) => `/api/shift-logs/${machinePath(machine)}/${shiftStartMs}`;

/** The line's shift running now, or the one starting at `shiftStartMs`. */
export const getOperatorView = (machine: string, shiftStartMs?: number) =>
  requestJson('GET', `/api/operator/${machinePath(machine)}${shiftStartMs === undefined ? '' : `?shift=${shiftStartMs}`}`, operatorViewSchema);

export interface SegmentInput {
  start?: number;
  reason: string;
  comment?: string | null;
}

export const setStopReasons = (machine: string, stopStartMs: number, segments: SegmentInput[], changeReason?: string) =>
  requestJson('PUT', `/api/stops/${machinePath(machine)}/${stopStartMs}/reasons`, segmentsSchema, { segments, changeReason });

export interface NotesInput {
  version: number;
  notes: string | null;
  openIssues: string | null;
  reportedCount: number | null;
}
export const saveShiftNotes = (machine: string, shift: number, body: NotesInput) => requestJson('PUT', logPath(machine, shift), shiftLogViewSchema, body);

export interface CrewInput {
  username?: string | null;
  person?: string | null;
  hours: number;
}
export const saveCrew = (machine: string, shift: number, crew: CrewInput[]) => requestJson('PUT', `${logPath(machine, shift)}/crew`, shiftLogViewSchema, { crew });

export const addScrap = (machine: string, shift: number, scrap: ScrapInput) => requestJson('POST', `${logPath(machine, shift)}/scrap`, shiftLogViewSchema, scrap);
export const deleteScrap = (machine: string, shift: number, id: number) => requestJson('DELETE', `${logPath(machine, shift)}/scrap/${id}`, shiftLogViewSchema);

export const submitShiftLog = (machine: string, shift: number, version: number) =>
  requestJson('POST', `${logPath(machine, shift)}/submit`, shiftLogViewSchema, { version });
export const signShiftLog = (machine: string, shift: number, version: number, signature: SignatureInput, reason?: string) =>
  requestJson('POST', `${logPath(machine, shift)}/sign`, shiftLogViewSchema, { version, signature, reason: reason || undefined });
export const reopenShiftLog = (machine: string, shift: number, version: number, reason: string) =>
  requestJson('POST', `${logPath(machine, shift)}/reopen`, shiftLogViewSchema, { version, reason });
export const acknowledgeHandover = (machine: string, shift: number, comment: string | null) =>
  requestJson('POST', `${logPath(machine, shift)}/handover-ack`, shiftLogViewSchema, { comment });
