// REST for alerts under /api/alerts: rules (admins), the user's own subscriptions, the alert list,
// unread count and acknowledgement. Changes are published on the 'alerts' topic.
import { z } from 'zod';
import type { App, AppDeps } from '../../server/context.js';
import { whoOf } from '../../server/context.js';
import * as service from './service.js';
import {
  acknowledgeSchema, alertListQuery, alertRuleInputSchema, alertRuleSchema, alertSchema, ruleIdParam, ruleUpdateSchema, subscriptionInputSchema, subscriptionSchema, unreadSchema,
} from './schemas.js';

export async function alertRoutes(app: App, { db, events }: AppDeps): Promise<void> {
  const tags = ['alerts'];
  const changed = (what: string) => events.publish({ topic: 'alerts', data: { what } });

  app.get('/api/alerts/rules', { config: { permission: 'plant:read' }, schema: { tags, response: { 200: z.array(alertRuleSchema) } } }, () => service.listRules(db));
  app.post('/api/alerts/rules', { config: { permission: 'plant:write' }, schema: { tags, body: alertRuleInputSchema, response: { 201: alertRuleSchema } } }, async (req, reply) => {
    const rule = await service.createRule(db, whoOf(req), req.body);
    changed('rules');
    return reply.code(201).send(rule);
  });
  app.put('/api/alerts/rules/:id', { config: { permission: 'plant:write' }, schema: { tags, params: ruleIdParam, body: ruleUpdateSchema, response: { 200: alertRuleSchema } } }, async (req) => {
    const { version, ...input } = req.body;
    const rule = await service.updateRule(db, whoOf(req), req.params.id, alertRuleInputSchema.parse(input), version);
    changed('rules');
    return rule;
  });
  app.delete('/api/alerts/rules/:id', { config: { permission: 'plant:write' }, schema: { tags, params: ruleIdParam } }, async (req, reply) => {
    await service.deleteRule(db, whoOf(req), req.params.id);
    changed('rules');
    return reply.code(204).send();
  });

  app.get('/api/alerts/subscriptions', { config: { permission: 'plant:read' }, schema: { tags, response: { 200: z.array(subscriptionSchema) } } }, (req) => service.listSubscriptions(db, whoOf(req).actor));
  app.post('/api/alerts/subscriptions', { config: { permission: 'plant:read' }, schema: { tags, body: subscriptionInputSchema, response: { 201: subscriptionSchema } } }, async (req, reply) =>
    reply.code(201).send(await service.subscribe(db, whoOf(req).actor, req.body.scope, req.body.scopeKey)),
  );
  app.delete('/api/alerts/subscriptions/:id', { config: { permission: 'plant:read' }, schema: { tags, params: ruleIdParam } }, async (req, reply) => {
    await service.unsubscribe(db, whoOf(req).actor, req.params.id);
    return reply.code(204).send();
  });

  app.get('/api/alerts', { config: { permission: 'plant:read' }, schema: { tags, querystring: alertListQuery, response: { 200: z.array(alertSchema) } } }, (req) => service.listAlerts(db, req.query));
  app.get('/api/alerts/unread', { config: { permission: 'plant:read' }, schema: { tags, response: { 200: unreadSchema } } }, async () => ({ unread: await service.unreadCount(db) }));
  app.post('/api/alerts/:id/acknowledge', { config: { permission: 'plant:read' }, schema: { tags, params: ruleIdParam, body: acknowledgeSchema, response: { 200: alertSchema } } }, async (req) => {
    const alert = await service.acknowledge(db, whoOf(req), req.params.id, req.body.comment);
    changed('acknowledged');
    return alert;
  });
}
