// Every state-changing API call writes exactly one audit entry, in the transaction of its change:
// a helper walks all mutating routes of the app (a route without an example here fails the test),
// runs each once normally (one new entry) and once with the audit insert forced to fail (neither
// the change nor an entry may remain).
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import { verifyAuditChain } from '../audit/repository.js';
import { insertAlert } from '../alerts/alerts-repository.js';
import { SILENT_LOG } from '../machine-data/notifier.js';
import type { SimulationHolder } from '../simulation/routes.js';
import { Simulation } from '../simulation/runner.js';
import type { SimulationSink } from '../simulation/sinks.js';
import { LINE7_DAYS, multipartFiles } from '../../testing/machine-data.js';
import { addLot } from '../../testing/genealogy.js';
import { ingestMeasurements } from '../measurements/service.js';
import { registeredRoutes } from './access.js';
import { clearSessionCache } from './sessions.js';
import { createAuthTestApp, createTestUser, injectAs, signIn, type AuthTestApp, type InjectFn } from '../../testing/auth.js';

type Call = () => Promise<LightMyRequestResponse>;
/** Prepares what the call needs (through the API or the database) and returns the call itself. */
type Example = () => Promise<Call>;

/**
 * POST routes that change nothing and so write no audit entry, with why. The walk below checks that
 * each still writes none (and the failure walk skips them: there is no change to roll back).
 */
const KNOWN_UNAUDITED: Record<string, string> = {
  'POST /api/work-orders/import/preview': 'reads an uploaded file to show what its import would create; writes nothing',
  'POST /api/ingest/check': 'reads an uploaded file to say where it belongs; stores nothing (POST only because it carries the file)',
  'POST /api/alerts/subscriptions': "a user's own choice of which alerts reach them by mail: a preference, not a plant record",
  'DELETE /api/alerts/subscriptions/:id': "a user's own choice of which alerts reach them by mail: a preference, not a plant record",
  'POST /api/simulation/machines/:key/pause': "pauses the demo's simulated machine in memory; no plant record changes (its state shows as the machine's own)",
  'POST /api/simulation/machines/:key/resume': "resumes the demo's simulated machine in memory; no plant record changes",
  'POST /api/schedule/promise': 'answers when an order asked about could be finished; plans it on a copy and stores nothing (POST because it carries the question)',
  'POST /api/schedule/suggestions': 'runs the optimiser over the live plan and returns its suggestion; stores nothing (accepting it is the audited change)',
  'POST /api/tv/device': 'a wall screen trades its TV token for the device cookie; changes nothing but the screen\'s last-seen time',
};

const multipart = (name: string, content: Buffer) => multipartFiles([{ name, content }]);

describe('audited mutations', () => {
  let t: AuthTestApp;
  const simulation: SimulationHolder = { current: null };
  let raw: InjectFn;
  let n = 0;
  const unique = (prefix: string) => `${prefix}${++n}${randomBytes(2).toString('hex')}`;
  let uploads = 0;

  beforeAll(async () => {
    // no alert timer: its rules (an example creates one) would raise alerts by the time of day while the
    // failure walk compares tables before and after a request
    t = await createAuthTestApp('sqlite', 'mutations', { QMFG_ALERT_INTERVAL_SECONDS: '0' }, { build: { simulation } });
    raw = t.app.inject.bind(t.app);
    // a simulation whose cycles go nowhere: only its pause/resume control is walked here
    const quiet: SimulationSink = { cycles: async () => {}, state: async () => {}, close: async () => {} };
    simulation.current = new Simulation({ db: t.database.db, zone: t.database.config.QMFG_TZ, seed: 1, machines: ['line6'], sink: quiet, log: SILENT_LOG, clock: () => Date.now() });
  });
  afterAll(async () => {
    await simulation.current?.close();
    await t?.close();
  });

  const ok = async (res: Promise<LightMyRequestResponse> | LightMyRequestResponse) => {
    const r = await res;
    if (r.statusCode >= 300) throw new Error(`set-up request failed: ${r.statusCode} ${r.body}`);
    return r;
  };
  const post = (url: string, payload: unknown = {}) => ok(t.inject({ method: 'POST', url, payload: payload as object }));
  const workOrder = async (state: 'parked' | 'loaded' | 'held' | 'done' = 'parked') => {
    const lot = unique('MUT');
    await post('/api/work-orders', { lot, product: 'strep-a-plus', quantity: 1000 });
    if (state !== 'parked') await post(`/api/work-orders/${lot}/operations/0/load`, { machine: 'line9', mode: 'append' });
    if (state === 'held') await post(`/api/work-orders/${lot}/operations/0/hold`);
    if (state === 'done') await post(`/api/work-orders/${lot}/operations/0/close`, { reason: 'nothing produced: test lot' });
    return lot;
  };
  const otherSession = async (role: 'viewer' | 'quality' | 'operator' = 'viewer') => {
    const user = await createTestUser(t.database.db, role);
    return { user, as: injectAs(raw, await signIn(raw, user)) };
  };
  let periodicQuarters = 0;
  let measurementUploads = 0;
  const measurementChannel = (key: string) => ({ key, name: 'Film gauge', quantity: 'thickness', unit: 'mm', target: null, lsl: 0.1, usl: 0.2, samplePeriodSeconds: 1, source: { kind: 'upload' } });
  const logDay = readFileSync(LINE7_DAYS[2]);
  let uploaded = false;
  let uploadedLot = '';
  const uploadOnce = async () => {
    if (!uploaded) await ok(t.inject({ method: 'POST', url: '/api/ingest/upload?machine=line7', ...multipart('PR20221012.txt', logDay) }));
    uploaded = true;
    uploadedLot = (await t.inject({ method: 'GET', url: '/api/production/lots?machine=line7&from=2022-10-12T00:00&to=2022-10-13T00:00' })).json().lots[0].lot;
  };
  const profile = { maxCycleSeconds: 1.1, stopBinsSeconds: [1.1, 12, 60, 300], availabilityLossSeconds: 60, basis: 'firstToLastPart', idealRatePerMinute: 140 };

  const examples: Record<string, Example> = {
    'POST /api/auth/login': async () => {
      const user = await createTestUser(t.database.db, 'viewer');
      return () => raw({ method: 'POST', url: '/api/auth/login', payload: { username: user.username, password: user.password } });
    },
    'POST /api/auth/logout': async () => {
      const { as } = await otherSession();
      return () => as({ method: 'POST', url: '/api/auth/logout' });
    },
    'POST /api/auth/logout-all': async () => {
      const { as } = await otherSession();
      return () => as({ method: 'POST', url: '/api/auth/logout-all' });
    },
    'POST /api/auth/password': async () => {
      const { user, as } = await otherSession();
      return () => as({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: user.password, newPassword: 'a brand new pass phrase' } });
    },
    'POST /api/users': async () => () =>
      t.inject({ method: 'POST', url: '/api/users', payload: { username: unique('new.user'), displayName: 'New Person', role: 'viewer', password: 'a fine first pass phrase' } }),
    'PATCH /api/users/:id': async () => {
      const user = await createTestUser(t.database.db, 'viewer');
      return () => t.inject({ method: 'PATCH', url: `/api/users/${user.id}`, payload: { displayName: 'Renamed Person', version: 1 } });
    },
    'POST /api/users/:id/password': async () => {
      const user = await createTestUser(t.database.db, 'viewer');
      return () => t.inject({ method: 'POST', url: `/api/users/${user.id}/password`, payload: { password: 'a temporary pass phrase' } });
    },
    'POST /api/tv-devices': async () => () => t.inject({ method: 'POST', url: '/api/tv-devices', payload: { name: unique('Wall '), groups: ['pouching-itrak'] } }),
    'POST /api/tv-devices/:id/revoke': async () => {
      const created = (await post('/api/tv-devices', { name: unique('Wall '), groups: [] })).json();
      return () => t.inject({ method: 'POST', url: `/api/tv-devices/${created.id}/revoke` });
    },
    'POST /api/tv/device': async () => {
      const created = (await post('/api/tv-devices', { name: unique('Wall '), groups: [] })).json();
      return () => raw({ method: 'POST', url: '/api/tv/device', payload: { token: created.token } });
    },
    'POST /api/alerts/rules': async () => () => t.inject({ method: 'POST', url: '/api/alerts/rules', payload: { kind: 'stopped', scope: 'machine', scopeKey: 'line7', minutes: 10 } }),
    'PUT /api/alerts/rules/:id': async () => {
      const rule = (await post('/api/alerts/rules', { kind: 'no-data', scope: 'machine', scopeKey: 'line11', minutes: 30, enabled: false })).json();
      return () => t.inject({ method: 'PUT', url: `/api/alerts/rules/${rule.id}`, payload: { kind: 'no-data', scope: 'machine', scopeKey: 'line11', minutes: 45, enabled: false, version: rule.version } });
    },
    'DELETE /api/alerts/rules/:id': async () => {
      const rule = (await post('/api/alerts/rules', { kind: 'no-data', scope: 'machine', scopeKey: 'line11', minutes: 30, enabled: false })).json();
      return () => t.inject({ method: 'DELETE', url: `/api/alerts/rules/${rule.id}` });
    },
    'POST /api/simulation/machines/:key/pause': async () => () => t.inject({ method: 'POST', url: '/api/simulation/machines/line6/pause' }),
    'POST /api/simulation/machines/:key/resume': async () => () => t.inject({ method: 'POST', url: '/api/simulation/machines/line6/resume' }),
    'POST /api/alerts/subscriptions': async () => () => t.inject({ method: 'POST', url: '/api/alerts/subscriptions', payload: { scope: 'machine', scopeKey: 'line8' } }),
    'DELETE /api/alerts/subscriptions/:id': async () => {
      const subscription = (await post('/api/alerts/subscriptions', { scope: 'group', scopeKey: 'pouching-itrak' })).json();
      return () => t.inject({ method: 'DELETE', url: `/api/alerts/subscriptions/${subscription.id}` });
    },
    'POST /api/alerts/:id/acknowledge': async () => {
      const rule = (await post('/api/alerts/rules', { kind: 'stopped', scope: 'machine', scopeKey: 'line9', minutes: 10, enabled: false })).json();
      const now = Date.now();
      const id = await insertAlert(t.database.db, { ruleId: rule.id, kind: 'stopped', subject: 'line9', machine: 'line9', conditionSince: now - 900_000, raisedAt: now - 300_000, message: 'Line 9 stopped for 15 min', mailed: false });
      return () => t.inject({ method: 'POST', url: `/api/alerts/${id}/acknowledge`, payload: { comment: 'film splice, running again' } });
    },
    'POST /api/users/:id/sign-out': async () => {
      const { user } = await otherSession();
      return () => t.inject({ method: 'POST', url: `/api/users/${user.id}/sign-out` });
    },
    'PATCH /api/site': async () => {
      const site = (await t.inject({ method: 'GET', url: '/api/site' })).json();
      return () => t.inject({ method: 'PATCH', url: '/api/site', payload: { name: unique('Plant '), version: site.version } });
    },
    'POST /api/process-groups': async () => () => t.inject({ method: 'POST', url: '/api/process-groups', payload: { key: unique('grp'), name: 'A group' } }),
    'PATCH /api/process-groups/:key': async () => {
      const key = unique('grp');
      await post('/api/process-groups', { key, name: 'A group' });
      return () => t.inject({ method: 'PATCH', url: `/api/process-groups/${key}`, payload: { name: 'Renamed group', version: 1 } });
    },
    'DELETE /api/process-groups/:key': async () => {
      const key = unique('grp');
      await post('/api/process-groups', { key, name: 'A group' });
      return () => t.inject({ method: 'DELETE', url: `/api/process-groups/${key}?version=1`, payload: { reason: 'no longer used' } });
    },
    'PUT /api/process-groups/:key/changeovers': async () => {
      const key = unique('grp');
      await post('/api/process-groups', { key, name: 'A group' });
      return () => t.inject({ method: 'PUT', url: `/api/process-groups/${key}/changeovers`, payload: { version: 1, rules: [{ from: '*', to: '*', minutes: 30 }, { from: 'flu', to: 'strep', minutes: 90 }] } });
    },
    'PUT /api/machines/:key/last-family': async () => {
      const key = unique('m');
      await post('/api/machines', { key, name: 'A machine', group: 'kitting' });
      return () => t.inject({ method: 'PUT', url: `/api/machines/${key}/last-family`, payload: { family: 'strep', version: 1 } });
    },
    'POST /api/machines/:key/downtime': async () => () =>
      t.inject({ method: 'POST', url: '/api/machines/line6/downtime', payload: { from: new Date(Date.now() + 3_600_000).toISOString(), to: new Date(Date.now() + 7_200_000).toISOString(), reason: 'planned maintenance' } }),
    'DELETE /api/machines/:key/downtime/:id': async () => {
      const created = (await post('/api/machines/line6/downtime', { from: new Date(Date.now() + 3_600_000).toISOString(), to: new Date(Date.now() + 7_200_000).toISOString(), reason: 'planned maintenance' })).json();
      return () => t.inject({ method: 'DELETE', url: `/api/machines/line6/downtime/${created.id}`, payload: { reason: 'maintenance moved' } });
    },
    'POST /api/machines': async () => () => t.inject({ method: 'POST', url: '/api/machines', payload: { key: unique('m'), name: 'A machine', group: 'kitting' } }),
    'PATCH /api/machines/:key': async () => {
      const key = unique('m');
      await post('/api/machines', { key, name: 'A machine', group: 'kitting' });
      return () => t.inject({ method: 'PATCH', url: `/api/machines/${key}`, payload: { name: 'Renamed machine', version: 1 } });
    },
    'DELETE /api/machines/:key': async () => {
      const key = unique('m');
      await post('/api/machines', { key, name: 'A machine', group: 'kitting' });
      return () => t.inject({ method: 'DELETE', url: `/api/machines/${key}?version=1`, payload: { reason: 'machine scrapped' } });
    },
    'POST /api/products': async () => () => t.inject({ method: 'POST', url: '/api/products', payload: product() }),
    'PATCH /api/products/:key': async () => {
      const p = product();
      await post('/api/products', p);
      return () => t.inject({ method: 'PATCH', url: `/api/products/${p.key}`, payload: { name: 'Renamed product', version: 1 } });
    },
    'DELETE /api/products/:key': async () => {
      const p = product();
      await post('/api/products', p);
      return () => t.inject({ method: 'DELETE', url: `/api/products/${p.key}?version=1`, payload: { reason: 'product discontinued' } });
    },
    'PUT /api/calendar/default': async () => {
      const calendar = (await t.inject({ method: 'GET', url: '/api/calendar' })).json();
      return () => t.inject({ method: 'PUT', url: '/api/calendar/default', payload: { days: calendar.default.days, version: calendar.default.version, reason: 'same shifts, signed again' } });
    },
    'PUT /api/calendar/weeks/:week': async () => {
      const week = nextWeek();
      const days = (await t.inject({ method: 'GET', url: `/api/calendar/weeks/${week}` })).json().days;
      return () => t.inject({ method: 'PUT', url: `/api/calendar/weeks/${week}`, payload: { days: { ...days, sat: [] }, reason: 'no Saturday shift' } });
    },
    'DELETE /api/calendar/weeks/:week': async () => {
      const week = nextWeek();
      const days = (await t.inject({ method: 'GET', url: `/api/calendar/weeks/${week}` })).json().days;
      await ok(t.inject({ method: 'PUT', url: `/api/calendar/weeks/${week}`, payload: { days: { ...days, sat: [] }, reason: 'no Saturday shift' } }));
      return () => t.inject({ method: 'DELETE', url: `/api/calendar/weeks/${week}`, payload: { reason: 'Saturday shift after all' } });
    },
    'POST /api/calendar/holidays': async () => {
      const date = nextDate();
      return () => t.inject({ method: 'POST', url: '/api/calendar/holidays', payload: { date, name: 'Plant holiday' } });
    },
    'DELETE /api/calendar/holidays/:date': async () => {
      const date = nextDate();
      await post('/api/calendar/holidays', { date, name: 'Plant holiday' });
      return () => t.inject({ method: 'DELETE', url: `/api/calendar/holidays/${date}` });
    },
    'POST /api/work-orders': async () => () => t.inject({ method: 'POST', url: '/api/work-orders', payload: { lot: unique('MUT'), product: 'strep-a-plus', quantity: 1000 } }),
    'PATCH /api/work-orders/:lot': async () => {
      const lot = await workOrder();
      return () => t.inject({ method: 'PATCH', url: `/api/work-orders/${lot}`, payload: { notes: 'edited', version: 1 } });
    },
    'DELETE /api/work-orders/:lot': async () => {
      const lot = await workOrder();
      return () => t.inject({ method: 'DELETE', url: `/api/work-orders/${lot}?version=1`, payload: { reason: 'entered twice' } });
    },
    'PUT /api/genealogy/:lot': async () => {
      const lot = unique('GEN');
      await addLot(t.database.db, { lot, product: 'flu-ab', good: [1000] }, 2);
      return () => t.inject({ method: 'PUT', url: `/api/genealogy/${lot}`, payload: { version: 0, lots: [{ lot, quantity: 400 }] } });
    },
    'DELETE /api/genealogy/:lot': async () => {
      const lot = unique('GEN');
      await addLot(t.database.db, { lot, product: 'flu-ab', good: [1000] }, 2);
      await ok(t.inject({ method: 'PUT', url: `/api/genealogy/${lot}`, payload: { version: 0, lots: [{ lot, quantity: 400 }] } }));
      return () => t.inject({ method: 'DELETE', url: `/api/genealogy/${lot}?version=1` });
    },
    'POST /api/work-orders/:lot/operations/:step/load': async () => {
      const lot = await workOrder();
      return () => t.inject({ method: 'POST', url: `/api/work-orders/${lot}/operations/0/load`, payload: { machine: 'line9', mode: 'append' } });
    },
    'POST /api/work-orders/:lot/operations/:step/park': async () => {
      const lot = await workOrder('loaded');
      return () => t.inject({ method: 'POST', url: `/api/work-orders/${lot}/operations/0/park`, payload: {} });
    },
    'POST /api/work-orders/:lot/operations/:step/hold': async () => {
      const lot = await workOrder('loaded');
      return () => t.inject({ method: 'POST', url: `/api/work-orders/${lot}/operations/0/hold`, payload: { reason: 'foil defect' } });
    },
    'POST /api/work-orders/:lot/operations/:step/pin': async () => {
      const lot = await workOrder('loaded');
      return () => t.inject({ method: 'POST', url: `/api/work-orders/${lot}/operations/0/pin`, payload: {} });
    },
    'POST /api/work-orders/:lot/operations/:step/unpin': async () => {
      const lot = await workOrder('loaded');
      await t.inject({ method: 'POST', url: `/api/work-orders/${lot}/operations/0/pin`, payload: {} });
      return () => t.inject({ method: 'POST', url: `/api/work-orders/${lot}/operations/0/unpin`, payload: {} });
    },
    'POST /api/work-orders/:lot/operations/:step/release': async () => {
      const lot = await workOrder('held');
      return () => t.inject({ method: 'POST', url: `/api/work-orders/${lot}/operations/0/release`, payload: {} });
    },
    'POST /api/work-orders/:lot/operations/:step/close': async () => {
      const lot = await workOrder('loaded');
      return () => t.inject({ method: 'POST', url: `/api/work-orders/${lot}/operations/0/close`, payload: { reason: 'order cancelled by customer' } });
    },
    'POST /api/work-orders/:lot/operations/:step/counts': async () => {
      const lot = await workOrder('loaded');
      return () => t.inject({ method: 'POST', url: `/api/work-orders/${lot}/operations/0/counts`, payload: { produced: 250, scrap: 3 } });
    },
    'POST /api/schedule/replan': async () => () => t.inject({ method: 'POST', url: '/api/schedule/replan' }),
    'POST /api/schedule/suggestions': async () => () => t.inject({ method: 'POST', url: '/api/schedule/suggestions', payload: { timeLimitSeconds: 1, iterations: 50 } }),
    'POST /api/schedule/suggestions/accept': async () => {
      await workOrder('loaded');
      await workOrder('loaded');
      const suggestion = (await post('/api/schedule/suggestions', { timeLimitSeconds: 1, iterations: 50 })).json();
      return () => t.inject({ method: 'POST', url: '/api/schedule/suggestions/accept', payload: { basis: suggestion.basis, queues: suggestion.queues, machines: ['line9'], computedAt: suggestion.computedAt } });
    },
    'POST /api/work-orders/import': async () => {
      const csv = `lot,product,quantity\n${unique('IMP')},strep-a-plus,500\n`;
      return () => t.inject({ method: 'POST', url: '/api/work-orders/import?filename=orders.csv', headers: { 'content-type': 'text/csv' }, payload: csv });
    },
    'POST /api/scenarios': async () => () => t.inject({ method: 'POST', url: '/api/scenarios', payload: { name: unique('What if '), edits: [{ kind: 'machineDown', machine: 'line11', from: '2031-02-01', to: '2031-02-02' }] } }),
    'PATCH /api/scenarios/:id': async () => {
      const s = (await post('/api/scenarios', { name: unique('What if ') })).json();
      return () => t.inject({ method: 'PATCH', url: `/api/scenarios/${s.id}`, payload: { version: s.version, notes: 'renamed' } });
    },
    'POST /api/scenarios/:id/edits': async () => {
      const s = (await post('/api/scenarios', { name: unique('What if ') })).json();
      return () => t.inject({ method: 'POST', url: `/api/scenarios/${s.id}/edits`, payload: { version: s.version, edits: [{ kind: 'addShift', date: '2031-02-03', from: '23:00', to: '24:00' }] } });
    },
    'DELETE /api/scenarios/:id/edits/:edit': async () => {
      const s = (await post('/api/scenarios', { name: unique('What if '), edits: [{ kind: 'machineDown', machine: 'line11', from: '2031-02-01', to: '2031-02-02' }] })).json();
      return () => t.inject({ method: 'DELETE', url: `/api/scenarios/${s.id}/edits/1`, payload: { version: s.version } });
    },
    'POST /api/scenarios/:id/discard': async () => {
      const s = (await post('/api/scenarios', { name: unique('What if ') })).json();
      return () => t.inject({ method: 'POST', url: `/api/scenarios/${s.id}/discard`, payload: { version: s.version } });
    },
    'POST /api/scenarios/:id/publish': async () => {
      // a line down, a new lot's quantity and a rush order: every service it goes through writes no entry of its own
      const lot = await workOrder('parked');
      const s = (await post('/api/scenarios', { name: unique('What if '), edits: [
        { kind: 'machineDown', machine: 'line11', from: '2031-03-01', to: '2031-03-02' },
        { kind: 'quantity', lot, quantity: 2_000 },
        { kind: 'rushOrder', lot: unique('RUSH'), product: 'strep-a-plus', quantity: 1_000 },
        { kind: 'addShift', date: nextDate(), from: '23:00', to: '24:00' },
      ] })).json();
      return () => t.inject({ method: 'POST', url: `/api/scenarios/${s.id}/publish`, payload: { version: s.version, reason: 'what-if published', force: true } });
    },
    'POST /api/schedule/promise': async () => () => t.inject({ method: 'POST', url: '/api/schedule/promise', payload: { product: 'strep-a-plus', quantity: 5_000 } }),
    'POST /api/work-orders/import/preview': async () => {
      const csv = `lot,product,quantity\n${unique('PRE')},strep-a-plus,500\n`;
      return () => t.inject({ method: 'POST', url: '/api/work-orders/import/preview?filename=orders.csv', headers: { 'content-type': 'text/csv' }, payload: csv });
    },
    'POST /api/work-orders/:lot/operations/:step/gate': async () => {
      const lot = await workOrder('done');
      const { user, as } = await otherSession('quality');
      return () => as({ method: 'POST', url: `/api/work-orders/${lot}/operations/0/gate`, payload: { signature: { password: user.password, meaning: 'released' }, review: { items: [] } } });
    },
    'POST /api/periodic-reviews/:quarter/sign': async () => {
      // a quarter of its own per call: a quarter signed with nothing new since is refused (409)
      const quarter = `${1900 + periodicQuarters++}-Q2`;
      const { user, as } = await otherSession('quality');
      return () => as({ method: 'POST', url: `/api/periodic-reviews/${quarter}/sign`, payload: { signature: { password: user.password, meaning: 'reviewed' } } });
    },
    'POST /api/work-orders/:lot/close': async () => {
      const lot = await workOrder('loaded');
      return () => t.inject({ method: 'POST', url: `/api/work-orders/${lot}/close`, payload: { reason: 'lot complete' } });
    },
    // a name of its own per call (not the shared counter: other examples move it, and a name already
    // ingested with the same content is "nothing new", which would answer 200 in the failure walk)
    'POST /api/ingest/upload': async () => () => t.inject({ method: 'POST', url: '/api/ingest/upload?machine=line8', ...multipart(`PR2022101${uploads++ % 10}.txt`, logDay) }),
    // measurement channels (issue 14): a channel of its own per call; uploads carry instants no call stored before
    'POST /api/machines/:key/channels': async () => () => t.inject({ method: 'POST', url: '/api/machines/line7/channels', payload: measurementChannel(unique('ch')) }),
    'PUT /api/machines/:key/channels/:channel': async () => {
      const key = unique('ch');
      await post('/api/machines/line7/channels', measurementChannel(key));
      const { key: _key, ...fields } = measurementChannel(key);
      return () => t.inject({ method: 'PUT', url: `/api/machines/line7/channels/${key}`, payload: { ...fields, name: 'Renamed gauge', version: 1 } });
    },
    'DELETE /api/machines/:key/channels/:channel': async () => {
      const key = unique('ch');
      await post('/api/machines/line7/channels', measurementChannel(key));
      return () => t.inject({ method: 'DELETE', url: `/api/machines/line7/channels/${key}`, payload: { reason: 'gauge removed' } });
    },
    'POST /api/machines/:key/channels/measurements': async () => {
      if (!measurementUploads++) await post('/api/machines/line6/channels', measurementChannel('thickness'));
      const at = Date.UTC(2026, 11, 3) + measurementUploads * 60_000;
      const csv = Buffer.from(`time,thickness\n${new Date(at).toISOString()},0.12\n${new Date(at + 1000).toISOString()},0.13\n`);
      return () => t.inject({ method: 'POST', url: '/api/machines/line6/channels/measurements', ...multipart(`m${measurementUploads}.csv`, csv) });
    },
    // control limits (issue 14): a channel of its own with 30 five-minute subgroups of readings as baseline
    'POST /api/machines/:key/channels/:channel/spc/limits': async () => {
      const key = unique('spc');
      await post('/api/machines/line7/channels', measurementChannel(key));
      const start = Date.UTC(2026, 10, 20, 16);
      const samples = Array.from({ length: 300 }, (_, i) => ({ channel: key, at: start + i * 30_000, value: 0.125 + 0.001 * Math.sin(i * 1.7) + 0.0005 * ((i * 7919) % 13) / 13 }));
      await ingestMeasurements({ db: t.database.db, zone: t.database.config.QMFG_TZ }, [{ machine: 'line7', name: key, samples }], { who: { actor: 'test' }, action: 'import' });
      const payload = { baselineFrom: new Date(start).toISOString(), baselineTo: new Date(start + 150 * 60_000).toISOString(), reason: 'baseline after commissioning' };
      return () => t.inject({ method: 'POST', url: `/api/machines/line7/channels/${key}/spc/limits`, payload });
    },
    'POST /api/ingest/check': async () => () => t.inject({ method: 'POST', url: '/api/ingest/check?machine=line8', ...multipart('PR20221012.txt', logDay) }),
    'POST /api/ingest/files/:id/undo': async () => {
      const res = await ok(t.inject({ method: 'POST', url: '/api/ingest/upload?machine=line11', ...multipart(`undo-${unique('f')}.txt`, logDay.subarray(0, 40_000)) }));
      const fileId = res.json().files[0].fileId;
      return () => t.inject({ method: 'POST', url: `/api/ingest/files/${fileId}/undo`, payload: { reason: 'uploaded to the wrong machine' } });
    },
    'POST /api/oee/profiles': async () => () => t.inject({ method: 'POST', url: '/api/oee/profiles', payload: { ...profile, name: unique('profile-') } }),
    'PUT /api/oee/profiles/:name': async () => {
      const name = unique('profile-');
      await post('/api/oee/profiles', { ...profile, name });
      return () => t.inject({ method: 'PUT', url: `/api/oee/profiles/${name}`, payload: { ...profile, availabilityLossSeconds: 120, version: 1, reason: 'longer losses' } });
    },
    'PUT /api/stops/:machine/:start': async () => {
      await uploadOnce();
      const stops = (await t.inject({ method: 'GET', url: '/api/stops?machine=line7&from=2022-10-12T06:00&to=2022-10-12T18:00&minSeconds=60' })).json().stops;
      const stop = stops[n++ % stops.length];
      return () => t.inject({ method: 'PUT', url: `/api/stops/line7/${stop.startMs}`, payload: { reason: 'waiting-material', comment: `case ${n}`, changeReason: 'walk of every route' } });
    },
    'PUT /api/stops/:machine/:start/reasons': async () => {
      await uploadOnce();
      const stops = (await t.inject({ method: 'GET', url: '/api/stops?machine=line7&from=2022-10-12T06:00&to=2022-10-12T18:00&minSeconds=60' })).json().stops;
      const stop = stops[n++ % stops.length];
      const middle = Math.round((stop.startMs + stop.endMs) / 2);
      const payload = { segments: [{ reason: 'format-change', comment: `case ${n}` }, { start: middle, reason: 'pocket-jam' }], changeReason: 'walk of every route' };
      return () => t.inject({ method: 'PUT', url: `/api/stops/line7/${stop.startMs}/reasons`, payload });
    },
    'PUT /api/reason-trees/:group': async () => {
      const current = (await t.inject({ method: 'GET', url: '/api/reason-trees/kitting' })).json();
      const tree = structuredClone(current.tree);
      tree.nodes[0].children.push({ id: unique('added-'), label: unique('Added '), category: 'breakdown' });
      return () => t.inject({ method: 'PUT', url: '/api/reason-trees/kitting', payload: { version: current.version, tree } });
    },
    'POST /api/auth/pin-login': async () => {
      const { user, as } = await otherSession('operator');
      await ok(as({ method: 'PUT', url: '/api/auth/pin', payload: { currentPassword: user.password, pin: '4821' } }));
      return () => raw({ method: 'POST', url: '/api/auth/pin-login', payload: { username: user.username, pin: '4821' } });
    },
    'PUT /api/auth/pin': async () => {
      const { user, as } = await otherSession('operator');
      return () => as({ method: 'PUT', url: '/api/auth/pin', payload: { currentPassword: user.password, pin: '4821' } });
    },
    'PUT /api/shift-logs/:machine/:shift': async () => {
      const url = shiftLog();
      return () => t.inject({ method: 'PUT', url, payload: { version: 0, notes: `notes ${n}`, openIssues: 'none', reportedCount: 1000 } });
    },
    'PUT /api/shift-logs/:machine/:shift/crew': async () => {
      const url = shiftLog();
      return () => t.inject({ method: 'PUT', url: `${url}/crew`, payload: { crew: [{ person: 'Temp Worker', hours: 8 }] } });
    },
    'POST /api/shift-logs/:machine/:shift/scrap': async () => {
      await uploadOnce();
      const url = shiftLog();
      return () => t.inject({ method: 'POST', url: `${url}/scrap`, payload: { lot: uploadedLot, reason: 'seal-defect', quantity: 12 } });
    },
    'DELETE /api/shift-logs/:machine/:shift/scrap/:id': async () => {
      await uploadOnce();
      const url = shiftLog();
      const id = (await post(`${url}/scrap`, { lot: uploadedLot, reason: 'seal-defect', quantity: 12 })).json().scrap[0].id;
      return () => t.inject({ method: 'DELETE', url: `${url}/scrap/${id}` });
    },
    'POST /api/shift-logs/:machine/:shift/submit': async () => {
      const url = shiftLog();
      return () => t.inject({ method: 'POST', url: `${url}/submit`, payload: { version: 0 } });
    },
    'POST /api/shift-logs/:machine/:shift/sign': async () => {
      const url = shiftLog();
      const submitted = (await post(`${url}/submit`, { version: 0 })).json();
      return () => t.inject({ method: 'POST', url: `${url}/sign`, payload: { version: submitted.version } });
    },
    'POST /api/shift-logs/:machine/:shift/reopen': async () => {
      const url = shiftLog();
      const submitted = (await post(`${url}/submit`, { version: 0 })).json();
      const signed = (await post(`${url}/sign`, { version: submitted.version })).json();
      return () => t.inject({ method: 'POST', url: `${url}/reopen`, payload: { version: signed.version, reason: 'a count was wrong' } });
    },
    'POST /api/shift-logs/:machine/upload': async () => {
      // the shift sheet of a fresh shift with its notes filled in: one row imported through saveNotes
      const start = shiftLog().split('/').pop();
      const template = await ok(t.inject({ method: 'GET', url: `/api/shift-logs/line7/template.xlsx?shift=${start}` }));
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(template.rawPayload as unknown as ArrayBuffer);
      workbook.getWorksheet('Shift')!.getCell('E2').value = `notes from the sheet ${n}`;
      const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
      return () => t.inject({ method: 'POST', url: '/api/shift-logs/line7/upload', ...multipart('line7-shift.xlsx', bytes) });
    },
    'POST /api/shift-logs/:machine/:shift/handover-ack': async () => {
      const url = shiftLog();
      return () => t.inject({ method: 'POST', url: `${url}/handover-ack`, payload: { comment: `read ${n}` } });
    },
  };
  // a different shift of line7 for every call (1 Nov 2022 on, the calendar's 06:30 shift), so no call finds a report another signed
  let shiftDay = 0;
  function shiftLog(): string {
    const start = DateTime.fromISO('2022-11-01T06:30', { zone: t.database.config.QMFG_TZ }).plus({ days: shiftDay++ }).toMillis();
    return `/api/shift-logs/line7/${start}`;
  }
  let productCount = 0;
  function product() {
    productCount += 1;
    return { key: unique('prod'), name: 'A product', shortName: 'Prod', itemNumber: String(9_100_000 + productCount), color: '#336699', routing: [{ group: 'kitting', ratePerHour: 1000 }] };
  }
  let weekCount = 0;
  const nextWeek = () => `2031-W${String(10 + ++weekCount).padStart(2, '0')}`;
  let dayCount = 0;
  const nextDate = () => `2031-0${1 + Math.floor(++dayCount / 28)}-${String(1 + (dayCount % 28)).padStart(2, '0')}`;

  const auditCount = async () => Number((await t.database.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const mutating = () =>
    registeredRoutes(t.app)
      .filter((r) => !r.static && !['GET', 'HEAD', 'OPTIONS'].includes(r.method))
      .map((r) => `${r.method} ${r.url}`);

  it('has an example for every mutating route', () => {
    const missing = mutating().filter((route) => !examples[route]);
    expect(missing, `add an example request to this test for: ${missing.join(', ')}`).toEqual([]);
    expect(Object.keys(examples).filter((route) => !mutating().includes(route))).toEqual([]);
  });

  it('writes exactly one audit entry per successful change', async () => {
    const wrong: string[] = [];
    for (const route of mutating()) {
      const call = await examples[route]();
      const before = await auditCount();
      const res = await call();
      const written = (await auditCount()) - before;
      if (res.statusCode >= 300) wrong.push(`${route}: the example failed (${res.statusCode} ${res.body.slice(0, 200)})`);
      else if (KNOWN_UNAUDITED[route]) {
        if (written !== 0) wrong.push(`${route}: now writes ${written} entries — remove it from KNOWN_UNAUDITED`);
      } else if (written !== 1) wrong.push(`${route}: ${written} audit entries`);
    }
    expect(wrong).toEqual([]);
    expect((await verifyAuditChain(t.database.db)).brokenAt).toBeNull();
  });

  /**
   * Every table's rows (sessions without their last-seen bookkeeping), to compare before and after.
   * The bulk machine-data tables (only ingest writes them, and it is not in this walk) by count and
   * highest rowid, so a snapshot stays quick.
   */
  async function snapshot(): Promise<Map<string, string>> {
    const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(t.database.db);
    const result = new Map<string, string>();
    for (const { name } of tables.rows) {
      const size = await sql<{ n: number; last: number | null }>`select count(*) as n, max(rowid) as last from ${sql.table(name)}`.execute(t.database.db);
      if (size.rows[0].n > 20_000) {
        result.set(name, JSON.stringify(size.rows[0]));
        continue;
      }
      const rows = await sql<Record<string, unknown>>`select * from ${sql.table(name)} order by rowid`.execute(t.database.db);
      result.set(name, JSON.stringify(rows.rows.map((row) => (name === 'sessions' ? { ...row, last_seen_at: 0 } : row))));
    }
    return result;
  }

  it('leaves neither the change nor an entry when the database fails inside the change', { timeout: 120_000 }, async () => {
    const wrong: string[] = [];
    for (const route of mutating().filter((r) => !KNOWN_UNAUDITED[r])) {
      const call = await examples[route]();
      clearSessionCache();
      const before = await snapshot();
      await sql`create trigger forced_failure before insert on audit_log begin select raise(abort, 'forced failure for a test'); end`.execute(t.database.db);
      let res: LightMyRequestResponse;
      try {
        res = await call();
      } finally {
        await sql`drop trigger forced_failure`.execute(t.database.db);
      }
      const after = await snapshot();
      const changed = [...before.keys()].filter((table) => before.get(table) !== after.get(table));
      if (res.statusCode < 500) wrong.push(`${route}: answered ${res.statusCode}`);
      if (changed.length) wrong.push(`${route}: changed ${changed.join(', ')}`);
    }
    expect(wrong).toEqual([]);
  });
});
