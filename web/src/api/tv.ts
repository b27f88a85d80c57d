// Endpoints of TV screens (device tokens), typed by the server's schemas.
import { z } from 'zod';
import { tvDeviceCreatedSchema, tvDeviceSchema, type TvDeviceCreate } from '../../../src/features/auth/tv-device-schemas.js';
import { requestJson } from './client.js';

export const listTvDevices = () => requestJson('GET', '/api/tv-devices', z.array(tvDeviceSchema));
export const createTvDevice = (input: Partial<TvDeviceCreate> & { name: string }) => requestJson('POST', '/api/tv-devices', tvDeviceCreatedSchema, input);
export const revokeTvDevice = (id: number) => requestJson('POST', `/api/tv-devices/${id}/revoke`, tvDeviceSchema);
