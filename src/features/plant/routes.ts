// REST for the plant model: /api/site, /api/process-groups, /api/machines, /api/products.
import { z } from 'zod';
import type { App, AppDeps } from '../../server/context.js';
import { whoOf } from '../../server/context.js';
import { deleteBodySchema } from '../../core/reasons.js';
import * as service from './service.js';
import * as repo from './repository.js';
import * as changeovers from './changeovers.js';
import * as downtime from './downtime.js';
import { NotFound } from '../../core/errors.js';
import {
  changeoverMatrixSchema, changeoverMatrixUpdateSchema, downtimeCreateSchema, downtimeParams, downtimeSchema, lastFamilyUpdateSchema, deleteQuery, keyParams, machineCreateSchema, machineSchema, machineUpdateSchema, processGroupCreateSchema, processGroupSchema,
  processGroupUpdateSchema, productCreateSchema, productSchema, productUpdateSchema, siteSchema, siteUpdateSchema,
} from './schemas.js';

/** What plant's routes need from the features above it (passed in by server/app.ts). */
export interface PlantRouteDeps {
  referenceChecks: service.PlantReferenceChecks;
  /**
   * The re-plan after a change of what the plan reads from the plant (families, changeover matrices, a
   * machine's last family, routings): plant cannot re-plan itself (orders is above it), so the server passes it in.
   */
  afterPlanInputChange?: () => Promise<void>;
}

export async function plantRoutes(app: App, { db, events, config }: AppDeps, { referenceChecks, afterPlanInputChange }: PlantRouteDeps): Promise<void> {
  const changed = (entity: string, key: string) => events.publish({ topic: 'plant', data: { entity, key } });
  const replan = async () => afterPlanInputChange?.();
  const found = <T>(entity: string, key: string, value: T | undefined): T => {
    if (value === undefined) throw new NotFound(entity, key);
    return value;
  };

  app.get('/api/site', { config: { permission: 'plant:read' }, schema: { tags: ['plant'], response: { 200: siteSchema } } }, async () => ({
    ...(await service.getSite(db)),
    ...(config.QMFG_LOCALE ? { locale: config.QMFG_LOCALE } : {}),
  }));
  app.patch('/api/site', { config: { permission: 'plant:write' }, schema: { tags: ['plant'], body: siteUpdateSchema, response: { 200: siteSchema } } }, async (req) => {
    const site = await service.updateSite(db, whoOf(req), req.body);
    changed('site', 'site');
    return site;
  });

  // ---- process groups
  const groupTags = ['plant'];
  app.get('/api/process-groups', { config: { permission: 'plant:read' }, schema: { tags: groupTags, response: { 200: z.array(processGroupSchema) } } }, () => repo.listGroups(db));
  app.get('/api/process-groups/:key', { config: { permission: 'plant:read' }, schema: { tags: groupTags, params: keyParams, response: { 200: processGroupSchema } } }, async (req) =>
    found('process group', req.params.key, await repo.getGroup(db, req.params.key)),
  );
  app.post('/api/process-groups', { config: { permission: 'plant:write' }, schema: { tags: groupTags, body: processGroupCreateSchema, response: { 201: processGroupSchema } } }, async (req, reply) => {
    const group = await service.createGroup(db, whoOf(req), req.body);
    changed('process-group', group.key);
    return reply.code(201).send(group);
  });
  app.patch('/api/process-groups/:key', { config: { permission: 'plant:write' }, schema: { tags: groupTags, params: keyParams, body: processGroupUpdateSchema, response: { 200: processGroupSchema } } }, async (req) => {
    const group = await service.updateGroup(db, whoOf(req), req.params.key, req.body);
    changed('process-group', group.key);
    return group;
  });
  app.delete('/api/process-groups/:key', { config: { permission: 'plant:write' }, schema: { tags: groupTags, params: keyParams, querystring: deleteQuery, body: deleteBodySchema } }, async (req, reply) => {
    await service.deleteGroup(db, whoOf(req, req.body?.reason), req.params.key, req.query.version);
    changed('process-group', req.params.key);
    return reply.code(204).send();
  });

  // ---- changeover matrix of a group (issue 15)
  app.get(
    '/api/process-groups/:key/changeovers',
    { config: { permission: 'plant:read' }, schema: { tags: groupTags, params: keyParams, response: { 200: changeoverMatrixSchema } } },
    (req) => changeovers.getChangeoverMatrix(db, req.params.key),
  );
  app.put(
    '/api/process-groups/:key/changeovers',
    { config: { permission: 'plant:write' }, schema: { tags: groupTags, params: keyParams, body: changeoverMatrixUpdateSchema, response: { 200: changeoverMatrixSchema } } },
    async (req) => {
      const matrix = await changeovers.replaceChangeoverMatrix(db, whoOf(req), req.params.key, req.body);
      changed('changeover-matrix', matrix.group);
      await replan();
      return matrix;
    },
  );

  // ---- machines
  const machineTags = ['plant'];
  app.get('/api/machines', { config: { permission: 'plant:read' }, schema: { tags: machineTags, querystring: z.object({ group: z.string().optional() }), response: { 200: z.array(machineSchema) } } }, (req) =>
    repo.listMachines(db, req.query.group),
  );
  app.get('/api/machines/:key', { config: { permission: 'plant:read' }, schema: { tags: machineTags, params: keyParams, response: { 200: machineSchema } } }, async (req) =>
    found('machine', req.params.key, await repo.getMachine(db, req.params.key)),
  );
  app.post('/api/machines', { config: { permission: 'plant:write' }, schema: { tags: machineTags, body: machineCreateSchema, response: { 201: machineSchema } } }, async (req, reply) => {
    const machine = await service.createMachine(db, whoOf(req), req.body);
    changed('machine', machine.key);
    return reply.code(201).send(machine);
  });
  app.patch('/api/machines/:key', { config: { permission: 'plant:write' }, schema: { tags: machineTags, params: keyParams, body: machineUpdateSchema, response: { 200: machineSchema } } }, async (req) => {
    const machine = await service.updateMachine(db, referenceChecks, whoOf(req), req.params.key, req.body);
    changed('machine', machine.key);
    return machine;
  });
  app.delete('/api/machines/:key', { config: { permission: 'plant:write' }, schema: { tags: machineTags, params: keyParams, querystring: deleteQuery, body: deleteBodySchema } }, async (req, reply) => {
    await service.deleteMachine(db, referenceChecks, whoOf(req, req.body?.reason), req.params.key, req.query.version);
    changed('machine', req.params.key);
    return reply.code(204).send();
  });

  // the family a machine last ran (for its first job's changeover): a planner's call, like loading its queue
  app.put(
    '/api/machines/:key/last-family',
    { config: { permission: 'orders:write' }, schema: { tags: machineTags, params: keyParams, body: lastFamilyUpdateSchema, response: { 200: machineSchema } } },
    async (req) => {
      const machine = await changeovers.setLastFamily(db, whoOf(req), req.params.key, req.body);
      changed('machine', machine.key);
      await replan();
      return machine;
    },
  );

  // planned downtime of a machine: the planner's call, like a calendar change (the plan works around it)
  app.get(
    '/api/machines/:key/downtime',
    { config: { permission: 'plant:read' }, schema: { tags: machineTags, params: keyParams, response: { 200: z.array(downtimeSchema) } } },
    (req) => downtime.listDowntime(db, req.params.key, Date.now()),
  );
  app.post(
    '/api/machines/:key/downtime',
    { config: { permission: 'calendar:write' }, schema: { tags: machineTags, params: keyParams, body: downtimeCreateSchema, response: { 201: downtimeSchema } } },
    async (req, reply) => {
      const created = await downtime.addDowntime(db, whoOf(req), req.params.key, req.body);
      changed('machine', req.params.key);
      await replan();
      return reply.code(201).send(created);
    },
  );
  app.delete(
    '/api/machines/:key/downtime/:id',
    { config: { permission: 'calendar:write' }, schema: { tags: machineTags, params: downtimeParams, body: deleteBodySchema } },
    async (req, reply) => {
      await downtime.removeDowntime(db, whoOf(req, req.body?.reason), req.params.key, req.params.id);
      changed('machine', req.params.key);
      await replan();
      return reply.code(204).send();
    },
  );

  // ---- products
  const productTags = ['plant'];
  app.get('/api/products', { config: { permission: 'plant:read' }, schema: { tags: productTags, response: { 200: z.array(productSchema) } } }, () => repo.listProducts(db));
  app.get('/api/products/:key', { config: { permission: 'plant:read' }, schema: { tags: productTags, params: keyParams, response: { 200: productSchema } } }, async (req) =>
    found('product', req.params.key, await repo.getProduct(db, req.params.key)),
  );
  app.post('/api/products', { config: { permission: 'plant:write' }, schema: { tags: productTags, body: productCreateSchema, response: { 201: productSchema } } }, async (req, reply) => {
    const product = await service.createProduct(db, whoOf(req), req.body);
    changed('product', product.key);
    return reply.code(201).send(product);
  });
  app.patch('/api/products/:key', { config: { permission: 'plant:write' }, schema: { tags: productTags, params: keyParams, body: productUpdateSchema, response: { 200: productSchema } } }, async (req) => {
    const product = await service.updateProduct(db, whoOf(req), req.params.key, req.body);
    changed('product', product.key);
    // a new family or routing changes how long its work takes
    await replan();
    return product;
  });
  app.delete('/api/products/:key', { config: { permission: 'plant:write' }, schema: { tags: productTags, params: keyParams, querystring: deleteQuery, body: deleteBodySchema } }, async (req, reply) => {
    await service.deleteProduct(db, referenceChecks, whoOf(req, req.body?.reason), req.params.key, req.query.version);
    changed('product', req.params.key);
    return reply.code(204).send();
  });
}
