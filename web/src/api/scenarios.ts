// What-if scenarios (src/features/scenarios/routes.ts): list, create, edit, compare, publish, discard.
import { z } from 'zod';
import { requestJson } from './client.js';
import {
  comparisonSchema, publishResultSchema, scenarioListSchema, scenarioSchema, type EditInput,
} from '../../../src/features/scenarios/schemas.js';

export type { Comparison, EditInput, ScenarioView, StoredEdit } from '../../../src/features/scenarios/schemas.js';
export type ScenarioSummary = z.infer<typeof scenarioListSchema>['items'][number];

export const listScenarios = () => requestJson('GET', '/api/scenarios', scenarioListSchema);
export const getScenario = (id: number) => requestJson('GET', `/api/scenarios/${id}`, scenarioSchema);
export const createScenario = (name: string, notes = '') => requestJson('POST', '/api/scenarios', scenarioSchema, { name, notes });
export const addScenarioEdits = (id: number, version: number, edits: EditInput[]) => requestJson('POST', `/api/scenarios/${id}/edits`, scenarioSchema, { version, edits });
export const removeScenarioEdit = (id: number, version: number, edit: number) => requestJson('DELETE', `/api/scenarios/${id}/edits/${edit}`, scenarioSchema, { version });
export const compareScenario = (id: number) => requestJson('GET', `/api/scenarios/${id}/compare`, comparisonSchema);
export const discardScenario = (id: number, version: number) => requestJson('POST', `/api/scenarios/${id}/discard`, scenarioSchema, { version });
/** 409 with code plan_changed when the live queues changed since the copy (then force after the planner saw them) */
export const publishScenario = (id: number, version: number, reason: string, force = false) =>
  requestJson('POST', `/api/scenarios/${id}/publish`, publishResultSchema, { version, reason, force });
