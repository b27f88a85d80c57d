// REST for the production calendar under /api/calendar.
import { z } from 'zod';
import type { App, AppDeps } from '../../server/context.js';
import { whoOf } from '../../server/context.js';
import { deleteBodySchema } from '../../core/reasons.js';
import * as service from './service.js';
import {
  calendarSchema, defaultUpdateSchema, holidayCreateSchema, holidaySchema, isoDate, isoWeekParam, weekUpdateSchema, weekViewSchema, workingTimeQuery, workingTimeSchema,
} from './schemas.js';

export interface CalendarReactions {
  /**
   * Runs after a calendar change has committed, before the request answers: the server wires the
   * re-plan of the plant here (orders sit above the calendar in the feature chain).
   */
  afterChange?: () => Promise<void>;
}

export async function calendarRoutes(app: App, { db, config, events }: AppDeps, reactions: CalendarReactions = {}): Promise<void> {
  const zone = config.QMFG_TZ;
  const tags = ['calendar'];
  const changed = async (what: string) => {
    await reactions.afterChange?.();
    events.publish({ topic: 'calendar', data: { what } });
  };

  app.get('/api/calendar', { config: { permission: 'plant:read' }, schema: { tags, response: { 200: calendarSchema } } }, () => service.getCalendar(db, zone));
  app.get('/api/calendar/weeks/:week', { config: { permission: 'plant:read' }, schema: { tags, params: isoWeekParam, response: { 200: weekViewSchema } } }, (req) =>
    service.getWeekView(db, zone, req.params.week),
  );
  app.put('/api/calendar/default', { config: { permission: 'calendar:write', signature: { entity: 'calendar' } }, schema: { tags, body: defaultUpdateSchema, response: { 200: calendarSchema } } }, async (req) => {
    await service.updateDefault(db, whoOf(req, req.body.reason), req.body.days, req.body.version);
    await changed('default');
    return service.getCalendar(db, zone);
  });
  app.put('/api/calendar/weeks/:week', { config: { permission: 'calendar:write' }, schema: { tags, params: isoWeekParam, body: weekUpdateSchema, response: { 200: weekViewSchema } } }, async (req) => {
    await service.updateWeek(db, whoOf(req, req.body.reason), req.params.week, req.body.days, req.body.version);
    await changed(req.params.week);
    return service.getWeekView(db, zone, req.params.week);
  });
  app.delete('/api/calendar/weeks/:week', { config: { permission: 'calendar:write' }, schema: { tags, params: isoWeekParam, body: deleteBodySchema, response: { 200: weekViewSchema } } }, async (req) => {
    await service.resetWeek(db, whoOf(req, req.body?.reason), req.params.week);
    await changed(req.params.week);
    return service.getWeekView(db, zone, req.params.week);
  });
  app.post('/api/calendar/holidays', { config: { permission: 'calendar:write' }, schema: { tags, body: holidayCreateSchema, response: { 201: holidaySchema } } }, async (req, reply) => {
    const { reason, ...holiday } = req.body;
    await service.addHoliday(db, whoOf(req, reason), holiday);
    await changed('holidays');
    return reply.code(201).send(holiday);
  });
  app.delete('/api/calendar/holidays/:date', { config: { permission: 'calendar:write' }, schema: { tags, params: z.object({ date: isoDate }), body: deleteBodySchema } }, async (req, reply) => {
    await service.removeHoliday(db, whoOf(req, req.body?.reason), req.params.date);
    await changed('holidays');
    return reply.code(204).send();
  });
  app.get('/api/calendar/working-time', { config: { permission: 'plant:read' }, schema: { tags, querystring: workingTimeQuery, response: { 200: workingTimeSchema } } }, (req) =>
    service.workingTime(db, zone, req.query.from, req.query.to),
  );
}
