// REST for what-if scenarios (issue 15 item 3): reading needs plant:read, every change orders:write;
// a publish changes the live plan and tells the boards.
import type { App, AppDeps } from '../../server/context.js';
import { whoOf } from '../../server/context.js';
import { can } from '../../core/permissions.js';
import { publishScenario } from './publish.js';
import {
  addEditsSchema, comparisonSchema, editParams, publishResultSchema, publishSchema, scenarioCreateSchema, scenarioListSchema, scenarioParams, scenarioSchema,
  scenarioUpdateSchema, versionBodySchema,
} from './schemas.js';
import * as service from './service.js';

export async function scenarioRoutes(app: App, { db, config, events }: AppDeps): Promise<void> {
  const ctx: service.ScenarioContext = { db, zone: config.QMFG_TZ };
  const tags = ['scenarios'];
  const read = { permission: 'plant:read' as const };
  const write = { permission: 'orders:write' as const };

  app.get('/api/scenarios', { config: read, schema: { tags, description: 'What-if scenarios, newest first, each with whether the live plan changed since its copy.', response: { 200: scenarioListSchema } } }, () =>
    service.listScenarios(ctx),
  );
  app.post(
    '/api/scenarios',
    {
      config: write,
      schema: { tags, description: 'Copies the live plan into a new scenario (its basis, when, who), optionally with first edits.', body: scenarioCreateSchema, response: { 201: scenarioSchema } },
    },
    async (req, reply) => reply.code(201).send(await service.createScenario(ctx, whoOf(req), req.body)),
  );
  app.get('/api/scenarios/:id', { config: read, schema: { tags, params: scenarioParams, response: { 200: scenarioSchema } } }, (req) => service.getScenario(ctx, req.params.id));
  app.patch('/api/scenarios/:id', { config: write, schema: { tags, description: 'Renames a scenario or changes its notes.', params: scenarioParams, body: scenarioUpdateSchema, response: { 200: scenarioSchema } } }, (req) =>
    service.updateScenario(ctx, whoOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/scenarios/:id/edits',
    {
      config: write,
      schema: {
        tags,
        description:
          'Adds edits (addShift, machineDown, rushOrder, quantity, move), checked against the live plant: 400 names the field (body.edits.0.machine); 409 when `version` is stale.',
        params: scenarioParams,
        body: addEditsSchema,
        response: { 200: scenarioSchema },
      },
    },
    (req) => service.addEdits(ctx, whoOf(req), req.params.id, req.body.version, req.body.edits),
  );
  app.delete('/api/scenarios/:id/edits/:edit', { config: write, schema: { tags, description: 'Removes one edit.', params: editParams, body: versionBodySchema, response: { 200: scenarioSchema } } }, (req) =>
    service.removeEdit(ctx, whoOf(req), req.params.id, req.body.version, req.params.edit),
  );
  app.post('/api/scenarios/:id/discard', { config: write, schema: { tags, params: scenarioParams, body: versionBodySchema, response: { 200: scenarioSchema } } }, (req) =>
    service.discardScenario(ctx, whoOf(req, req.body.reason), req.params.id, req.body.version),
  );
  app.get(
    '/api/scenarios/:id/compare',
    {
      config: read,
      schema: {
        tags,
        description:
          'The live plan and the scenario (its edits on top of the live plan as it is now), planned at this instant: KPIs, utilisation per machine (planned working hours ÷ the machine’s working time over the next 4 weeks) and the finish of every open work order, changed ones first.',
        params: scenarioParams,
        response: { 200: comparisonSchema },
      },
    },
    (req) => service.compareScenario(ctx, req.params.id),
  );
  app.post(
    '/api/scenarios/:id/publish',
    {
      config: write,
      schema: {
        tags,
        description:
          'Applies the edits to the live plant in one audited transaction and re-plans; a scenario with an extra shift also needs calendar:write (403). 409 (code plan_changed) when the live queues changed since the copy — GET the scenario for liveChanges — unless `force`; 409 when an edit no longer fits.',
        params: scenarioParams,
        body: publishSchema,
        response: { 200: publishResultSchema },
      },
    },
    async (req) => {
      const result = await publishScenario(ctx, whoOf(req, req.body.reason), req.params.id, { ...req.body, mayChangeCalendar: can(req.user?.role, 'calendar:write') });
      events.publish({ topic: 'schedule', data: { replan: true, reason: 'scenario', machines: result.machines } });
      return result;
    },
  );
}
