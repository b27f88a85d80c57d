// Endpoints of measurement channels (/api/machines/:key/channels…), typed by the schemas the server validates with.
import { z } from 'zod';
import { channelSchema, uploadResultSchema, type ChannelCreate, type ChannelUpdate } from '../../../src/features/measurements/schemas.js';
import { requestJson, requestVoid, uploadFile } from './client.js';

const base = (machine: string) => `/api/machines/${encodeURIComponent(machine)}/channels`;
const one = (machine: string, key: string) => `${base(machine)}/${encodeURIComponent(key)}`;

export const listChannels = (machine: string) => requestJson('GET', base(machine), z.array(channelSchema));
export const getChannel = (machine: string, key: string) => requestJson('GET', one(machine, key), channelSchema);
export const createChannel = (machine: string, input: ChannelCreate) => requestJson('POST', base(machine), channelSchema, input);
export const updateChannel = (machine: string, key: string, input: ChannelUpdate) => requestJson('PUT', one(machine, key), channelSchema, input);
export const deleteChannel = (machine: string, key: string, version: number, reason: string) => requestVoid('DELETE', `${one(machine, key)}?version=${version}`, { reason });
export const uploadMeasurements = (machine: string, file: File, channel: string | null, onProgress: (fraction: number) => void) =>
  uploadFile(`${base(machine)}/measurements${channel ? `?channel=${encodeURIComponent(channel)}` : ''}`, file, uploadResultSchema, onProgress);
