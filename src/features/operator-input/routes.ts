// REST for what operators report (issue 13): reason trees (/api/reason-trees), the reasons of a
// stop as parts (/api/stops/…/reasons) and the shift log of a line (/api/shift-logs/:machine/:shift:
// notes, crew, scrap, submit, sign, reopen, handover acknowledgement).
import { z } from 'zod';
import type { App, AppDeps } from '../../server/context.js';
import { whoOf } from '../../server/context.js';
import { keySchema } from '../plant/schemas.js';
import { parseExactInstant } from '../../core/time.js';
import { exactInstantSchema } from '../machine-data/window-query.js';
import { signaturesOf, type SignedContentReaders } from '../auth/signatures.js';
import * as trees from './trees.js';
import * as shiftLog from './shift-log.js';
import { setStopReasons } from './stop-reasons.js';
import {
  ackBodySchema, crewBodySchema, scrapInputSchema, segmentsSchema, shiftActionSchema, shiftLogBodySchema, shiftLogViewSchema, stopReasonsBodySchema, treeHistorySchema,
  treeSaveSchema, treeViewSchema,
} from './schemas.js';
import type { ShiftWindow } from './shifts.js';
import { requireShift } from './shifts.js';
import { Invalid } from '../../core/errors.js';

export interface OperatorInputOptions {
  signedContent: SignedContentReaders;
  /** mails can be sent (an SMTP transport was given to the app, as tests do) even without QMFG_SMTP_URL */
  mail?: boolean;
}

const treeView = (t: trees.TreeVersion) => ({ ...t, createdAt: t.createdAt === null ? null : new Date(t.createdAt).toISOString() });

export async function operatorInputRoutes(app: App, { db, config, events }: AppDeps, options: OperatorInputOptions): Promise<void> {
  const zone = config.QMFG_TZ;
  const reconcileSettings = { alerts: { zone, publicUrl: config.QMFG_PUBLIC_URL, mail: config.QMFG_SMTP_URL !== '' || options.mail === true }, tolerance: config.QMFG_RECONCILE_TOLERANCE };
  const groupParams = z.object({ group: keySchema });
  const treeTags = ['reason trees'];

  app.get('/api/reason-trees/:group', { config: { permission: 'plant:read' }, schema: { tags: treeTags, params: groupParams, response: { 200: treeViewSchema } } }, async (req) =>
    treeView(await trees.currentTree(db, req.params.group)),
  );
  app.get('/api/reason-trees/:group/history', { config: { permission: 'plant:read' }, schema: { tags: treeTags, params: groupParams, response: { 200: treeHistorySchema } } }, async (req) =>
    (await trees.treeHistory(db, req.params.group)).map(treeView),
  );
  app.put(
    '/api/reason-trees/:group',
    {
      config: { permission: 'plant:write' },
      schema: {
        tags: treeTags,
        description: 'Saves the next version of the group\'s reason tree. Reasons are never removed: retire them (`retired: true`); stops keep the reason they were given.',
        params: groupParams,
        body: treeSaveSchema,
        response: { 200: treeViewSchema },
      },
    },
    async (req) => {
      const saved = await trees.saveTree(db, whoOf(req), req.params.group, req.body.tree, req.body.version);
      // open operator screens and Analytics offer the new version at once
      events.publish({ topic: 'plant', data: { entity: 'reason-tree', key: req.params.group } });
      return treeView(saved);
    },
  );

  // ---- reasons of a stop, in parts
  const stopParams = z.object({ machine: keySchema, start: exactInstantSchema(zone, "the stop's start") });
  app.put(
    '/api/stops/:machine/:start/reasons',
    {
      config: { permission: 'production:report', lineScope: { machineParam: 'machine' } },
      schema: {
        tags: ['oee'],
        description: 'Sets the reasons of a stop: one per part, the first from the stop\'s start; a second part splits the stop at its start. Changing a reason somebody gave needs changeReason.',
        params: stopParams,
        body: stopReasonsBodySchema,
        response: { 200: segmentsSchema },
      },
    },
    async (req) => {
      const segments = req.body.segments.map((segment, i) => {
        let start: number | undefined;
        if (typeof segment.start === 'number') start = segment.start;
        else if (typeof segment.start === 'string') {
          const parsed = parseExactInstant(segment.start, zone);
          if (parsed === null) throw Invalid.field(`body.segments.${i}.start`, 'must be an instant: epoch ms or ISO 8601');
          start = parsed;
        }
        return { start, reason: segment.reason, comment: segment.comment ?? null };
      });
      const result = await setStopReasons(db, whoOf(req, req.body.changeReason), zone, req.params.machine, req.params.start, segments);
      events.publish({ topic: 'production', data: { machine: req.params.machine, stop: req.params.start } });
      return result;
    },
  );

  // ---- shift logs
  const tags = ['shift logs'];
  const shiftParams = z.object({ machine: keySchema, shift: exactInstantSchema(zone, "the shift's start") });
  const scrapParams = shiftParams.extend({ id: z.coerce.number().int().min(1) });
  const view = async (machine: string, shift: ShiftWindow) => {
    const core = await shiftLog.viewShiftLog(db, machine, shift);
    return { ...core, signatures: await signaturesOf(options.signedContent, db, shiftLog.SHIFT_LOG_ENTITY, [shiftLog.shiftLogKey(machine, shift.start)]) };
  };
  const changed = (machine: string, shift: ShiftWindow) => events.publish({ topic: 'shift-log', data: { machine, shift: shift.start } });
  const report = { permission: 'production:report' as const, lineScope: { machineParam: 'machine' } };
  const ref = (p: { machine: string; shift: number }) => ({ machine: p.machine, shiftStart: p.shift });

  app.get('/api/shift-logs/:machine/:shift', { config: { permission: 'plant:read' }, schema: { tags, params: shiftParams, response: { 200: shiftLogViewSchema } } }, async (req) =>
    view(req.params.machine, await requireShift(db, zone, req.params.shift)),
  );
  app.put('/api/shift-logs/:machine/:shift', { config: report, schema: { tags, params: shiftParams, body: shiftLogBodySchema, response: { 200: shiftLogViewSchema } } }, async (req) => {
    const shift = await shiftLog.saveNotes(db, whoOf(req), zone, ref(req.params), req.body);
    changed(req.params.machine, shift);
    return view(req.params.machine, shift);
  });
  app.put('/api/shift-logs/:machine/:shift/crew', { config: report, schema: { tags, params: shiftParams, body: crewBodySchema, response: { 200: shiftLogViewSchema } } }, async (req) => {
    const shift = await shiftLog.setCrew(db, whoOf(req), zone, ref(req.params), req.body.crew);
    changed(req.params.machine, shift);
    return view(req.params.machine, shift);
  });
  app.post('/api/shift-logs/:machine/:shift/scrap', { config: report, schema: { tags, params: shiftParams, body: scrapInputSchema, response: { 200: shiftLogViewSchema } } }, async (req) => {
    await shiftLog.addScrap(db, whoOf(req), zone, ref(req.params), req.body);
    const shift = await requireShift(db, zone, req.params.shift);
    events.publish({ topic: 'production', data: { machine: req.params.machine } });
    changed(req.params.machine, shift);
    return view(req.params.machine, shift);
  });
  app.delete('/api/shift-logs/:machine/:shift/scrap/:id', { config: report, schema: { tags, params: scrapParams, response: { 200: shiftLogViewSchema } } }, async (req) => {
    const shift = await shiftLog.deleteScrap(db, whoOf(req), zone, ref(req.params), req.params.id);
    events.publish({ topic: 'production', data: { machine: req.params.machine } });
    changed(req.params.machine, shift);
    return view(req.params.machine, shift);
  });
  app.post('/api/shift-logs/:machine/:shift/submit', { config: report, schema: { tags, params: shiftParams, body: shiftActionSchema, response: { 200: shiftLogViewSchema } } }, async (req) => {
    const shift = await shiftLog.submitLog(db, whoOf(req, req.body.reason), zone, ref(req.params), req.body.version, reconcileSettings);
    changed(req.params.machine, shift);
    // a reconciliation alert may have been raised or resolved
    events.publish({ topic: 'alerts', data: { changes: [] } });
    return view(req.params.machine, shift);
  });
  app.post(
    '/api/shift-logs/:machine/:shift/sign',
    {
      config: { permission: 'shifts:sign', signature: { entity: shiftLog.SHIFT_LOG_ENTITY } },
      schema: { tags, description: 'The lead signs the submitted report (body: version and `signature: {password, meaning}`); it is locked until reopened.', params: shiftParams, body: shiftActionSchema, response: { 200: shiftLogViewSchema } },
    },
    async (req) => {
      const shift = await shiftLog.signLog(db, whoOf(req, req.body.reason), zone, ref(req.params), req.body.version);
      changed(req.params.machine, shift);
      return view(req.params.machine, shift);
    },
  );
  app.post('/api/shift-logs/:machine/:shift/reopen', { config: { permission: 'shifts:sign' }, schema: { tags, params: shiftParams, body: shiftActionSchema, response: { 200: shiftLogViewSchema } } }, async (req) => {
    const shift = await shiftLog.reopenLog(db, whoOf(req, req.body.reason), zone, ref(req.params), req.body.version);
    changed(req.params.machine, shift);
    return view(req.params.machine, shift);
  });
  app.post('/api/shift-logs/:machine/:shift/handover-ack', { config: { permission: 'production:report' }, schema: { tags, params: shiftParams, body: ackBodySchema, response: { 200: shiftLogViewSchema } } }, async (req) => {
    const shift = await shiftLog.acknowledgeHandover(db, whoOf(req), zone, ref(req.params), req.body.comment ?? null);
    changed(req.params.machine, shift);
    return view(req.params.machine, shift);
  });
}
