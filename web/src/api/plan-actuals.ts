// Plan against actual (/api/schedule/actuals): what ran beneath the plan, typed by the server's schema.
import { actualsSchema } from '../../../src/features/plan-actuals/schemas.js';
import { requestJson } from './client.js';

export type { Actuals, MachineActuals, ActualRun, Drift } from '../../../src/features/plan-actuals/schemas.js';

export const getActuals = (group: string, from: number, to: number) =>
  requestJson('GET', `/api/schedule/actuals?group=${encodeURIComponent(group)}&from=${Math.floor(from)}&to=${Math.ceil(to)}`, actualsSchema);
