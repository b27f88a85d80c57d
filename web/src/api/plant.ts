// Endpoints of the plant model (/api/site, /api/process-groups, /api/machines, /api/products),
// typed by the schemas the server validates with.
import { z } from 'zod';
import {
  changeoverMatrixSchema, machineSchema, processGroupSchema, productSchema, siteSchema,
  type ChangeoverRuleInput, type MachineCreate, type MachineUpdate, type ProcessGroupCreate, type ProcessGroupUpdate, type ProductCreate, type ProductUpdate,
} from '../../../src/features/plant/schemas.js';
import { requestJson, requestVoid } from './client.js';

const path = (collection: string, key?: string) => (key === undefined ? `/api/${collection}` : `/api/${collection}/${encodeURIComponent(key)}`);

export const getSite = () => requestJson('GET', '/api/site', siteSchema);

export const listProcessGroups = () => requestJson('GET', path('process-groups'), z.array(processGroupSchema));
export const getProcessGroup = (key: string) => requestJson('GET', path('process-groups', key), processGroupSchema);
export const createProcessGroup = (input: ProcessGroupCreate) => requestJson('POST', path('process-groups'), processGroupSchema, input);
export const updateProcessGroup = (key: string, patch: ProcessGroupUpdate) => requestJson('PATCH', path('process-groups', key), processGroupSchema, patch);
export const deleteProcessGroup = (key: string, version: number, reason: string) => requestVoid('DELETE', `${path('process-groups', key)}?version=${version}`, { reason });

export const listMachines = () => requestJson('GET', path('machines'), z.array(machineSchema));
export const getMachine = (key: string) => requestJson('GET', path('machines', key), machineSchema);
export const createMachine = (input: MachineCreate) => requestJson('POST', path('machines'), machineSchema, input);
export const updateMachine = (key: string, patch: MachineUpdate) => requestJson('PATCH', path('machines', key), machineSchema, patch);
export const deleteMachine = (key: string, version: number, reason: string) => requestVoid('DELETE', `${path('machines', key)}?version=${version}`, { reason });

export const listProducts = () => requestJson('GET', path('products'), z.array(productSchema));
export const getProduct = (key: string) => requestJson('GET', path('products', key), productSchema);
export const createProduct = (input: ProductCreate) => requestJson('POST', path('products'), productSchema, input);
export const updateProduct = (key: string, patch: ProductUpdate) => requestJson('PATCH', path('products', key), productSchema, patch);
export const deleteProduct = (key: string, version: number, reason: string) => requestVoid('DELETE', `${path('products', key)}?version=${version}`, { reason });

// the changeover matrix of a process group, replaced whole under its version (issue 15)
export const getChangeovers = (group: string) => requestJson('GET', `${path('process-groups', group)}/changeovers`, changeoverMatrixSchema);
export const saveChangeovers = (group: string, version: number, rules: ChangeoverRuleInput[]) =>
  requestJson('PUT', `${path('process-groups', group)}/changeovers`, changeoverMatrixSchema, { version, rules });
/** what a machine ran last (null = unknown): its first job's changeover starts from it */
export const setMachineLastFamily = (key: string, family: string | null, version?: number) =>
  requestJson('PUT', `${path('machines', key)}/last-family`, machineSchema, { family, version });

// planned downtime of a machine (maintenance, a published what-if line down)
export const removeDowntime = (machine: string, id: number, reason: string) =>
  requestVoid('DELETE', `${path('machines', machine)}/downtime/${id}`, { reason });
