// Assembles the Fastify app: plugins, error handling, API routes, live events and the web app.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { LogController } from 'fastify';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { App, AppDeps } from './context.js';
import { clientErrorHandler, frameworkErrors, registerErrorHandler } from './error-handler.js';
import { registerInputGuard } from './input-guard.js';
import { registerClientGate } from './concurrency-gate.js';
import { clientGateOf } from '../config.js';
import { registerEventStream } from './events.js';
import { registerLifecycle, requestIdOf } from './lifecycle.js';
import { registerMetrics } from './metrics.js';
import { SIGNED_CONTENT } from './signed-records.js';
import { healthRoutes } from '../features/health/routes.js';
import { plantRoutes } from '../features/plant/routes.js';
import type { PlantReferenceChecks } from '../features/plant/service.js';
import { calendarRoutes } from '../features/calendar/routes.js';
import { recordRoutes } from '../features/records/routes.js';
import { lotRecordRoutes } from '../features/lot-record/routes.js';
import { orderRoutes, replanAfterCalendarChange, replanAfterChange } from '../features/orders/routes.js';
import { machineOperationsCheck, machineQueueCheck, productWorkOrdersCheck } from '../features/orders/service.js';
import { machineDataCheck, machineDataRoutes } from '../features/machine-data/routes.js';
import { oeeRoutes } from '../features/oee/routes.js';
import { operatorInputRoutes } from '../features/operator-input/routes.js';
import { shiftReportRoutes } from '../features/shift-reports/routes.js';
import { shiftWorkbookRoutes } from '../features/shift-reports/workbook-routes.js';
import { queueShiftEndMails } from '../features/shift-reports/report-mail.js';
import { signaturesOf } from '../features/auth/signatures.js';
import { SHIFT_LOG_ENTITY, shiftLogKey } from '../features/operator-input/shift-log.js';
import type { Db } from '../db/database.js';
import { forecastRoutes } from '../features/forecasts/routes.js';
import { followProduction } from '../features/forecasts/service.js';
import { withProductionDeltas } from '../features/live/production.js';
import { settledProduction } from '../features/live/follow.js';
import { machineStateRoutes } from '../features/oee/state-routes.js';
import { orderIoRoutes } from '../features/orders/io-routes.js';
import { signOffRoutes } from '../features/orders/sign-off-routes.js';
import { releaseReviewRoutes } from '../features/release-review/routes.js';
import { scenarioRoutes } from '../features/scenarios/routes.js';
import { exceptionRoutes } from '../features/orders/exceptions-routes.js';
import { authRoutes } from '../features/auth/routes.js';
import { tvDeviceRoutes } from '../features/auth/tv-device-routes.js';
import { tvRoutes } from '../features/tv/routes.js';
import { registerAuth } from '../features/auth/plugin.js';
import { sessionEndOf } from '../features/auth/access.js';
import { alertRoutes } from '../features/alerts/routes.js';
import { AlertRuntime, ingestObserver } from '../features/alerts/runtime.js';
import type { MailTransport } from '../features/alerts/mail-worker.js';
import type { AlertSettings } from '../features/alerts/engine.js';
import { ingestorFor } from '../features/machine-data/ingest.js';
import { simulationRoutes, type SimulationHolder } from '../features/simulation/routes.js';
import { planActualsRoutes } from '../features/plan-actuals/routes.js';
import { genealogyRoutes } from '../features/genealogy/routes.js';
import { maintenanceRoutes } from '../features/maintenance/routes.js';
import { spcRoutes } from '../features/spc/routes.js';
import { channelBucketStats, spcSignalSubjects } from '../features/spc/alert-source.js';
import { maintenanceFindings } from '../features/maintenance/service.js';
import { measurementRoutes } from '../features/measurements/routes.js';
import { measurementChannelsCheck } from '../features/measurements/service.js';
import { followReplans, recordShiftBaseline } from '../features/plan-actuals/baselines.js';

export interface BuildOptions {
  /** folder of the built web app; omitted → no static files (API-only tests) */
  webRoot?: string;
  logger?: boolean;
  /** where the JSON log lines go instead of stdout (tests read them); logs even when `logger` is false */
  logDestination?: { write(line: string): unknown };
  /** how often an open /api/events stream rechecks its session (default LIVE_SESSION_RECHECK_MS; tests go faster) */
  liveSessionRecheckMs?: number;
  /** alerts: the timer's period (default QMFG_ALERT_INTERVAL_SECONDS; 0 = off) and a mail transport instead of QMFG_SMTP_URL's (tests) */
  /** leased: the timer and mail worker start only when the caller's lease keeper says so (serve); otherwise when the app is ready */
  alerts?: { intervalMs?: number; transport?: MailTransport; clock?: () => number; leased?: boolean };
  /** the living demo's simulation, once it runs (its control routes answer 409 while none does) */
  simulation?: SimulationHolder;
}

/**
 * An open live stream reads its session again this often: expiry, the idle timeout and a sign-out
 * on another instance end it within this time (a sign-out on this instance ends it at once). One
 * indexed read per open stream per period.
 */
export const LIVE_SESSION_RECHECK_MS = 5_000;

// Every route declares who may call it (`config: { permission }` or `{ public: true }`); see
// core/permissions.ts for the table and features/auth/access.ts for the hook.
// A calendar change re-plans the plant: the reaction is passed down, the calendar does not import orders.
const calendarWithReplan = (app: App, deps: AppDeps) => calendarRoutes(app, deps, { afterChange: replanAfterCalendarChange(deps) });
// What the features above plant hold on its records: asked before a machine or product is deleted or a machine disabled.
const plantReferenceChecks: PlantReferenceChecks = {
  machine: [machineOperationsCheck, machineDataCheck, measurementChannelsCheck],
  machineQueue: [machineQueueCheck],
  product: [productWorkOrdersCheck],
};
// families, changeover matrices and a machine's last family change the plan: plant is given the re-plan, as the calendar is
const plantWithChecks = (app: App, deps: AppDeps) => plantRoutes(app, deps, { referenceChecks: plantReferenceChecks, afterPlanInputChange: replanAfterChange(deps, 'plant') });
const recordsWithSignatures = (app: App, deps: AppDeps) => recordRoutes(app, deps, { signedContent: SIGNED_CONTENT });
const lotRecordsWithSignatures = (app: App, deps: AppDeps) => lotRecordRoutes(app, deps, { signedContent: SIGNED_CONTENT });
const operatorInputWithSignatures = (app: App, deps: AppDeps) => operatorInputRoutes(app, deps, { signedContent: SIGNED_CONTENT });
const shiftLogSignatures = (db: Db) => (machine: string, shiftStart: number) => signaturesOf(SIGNED_CONTENT, db, SHIFT_LOG_ENTITY, [shiftLogKey(machine, shiftStart)]);
const releaseReviewWithSignatures = (app: App, deps: AppDeps) => releaseReviewRoutes(app, deps, { signedContent: SIGNED_CONTENT });
const shiftReportsWithSignatures = (app: App, deps: AppDeps) => shiftReportRoutes(app, deps, { signedContent: SIGNED_CONTENT });
const featureRoutes = [healthRoutes, authRoutes, plantWithChecks, calendarWithReplan, orderRoutes, orderIoRoutes, signOffRoutes, releaseReviewWithSignatures, exceptionRoutes, scenarioRoutes, planActualsRoutes, machineDataRoutes, forecastRoutes, operatorInputWithSignatures, oeeRoutes, machineStateRoutes, shiftReportsWithSignatures, shiftWorkbookRoutes, recordsWithSignatures, lotRecordsWithSignatures, genealogyRoutes, measurementRoutes, alertRoutes, tvDeviceRoutes, tvRoutes, maintenanceRoutes, spcRoutes];

/** QMFG_TRUST_PROXY → Fastify's trustProxy: off, the first N hops, or the proxies' addresses. */
function trustProxyOf(setting: string): boolean | string | ((address: string, hop: number) => boolean) {
  if (setting === '') return false;
  if (!/^\d+$/.test(setting)) return setting;
  const hops = Number(setting);
  return (_address, hop) => hop < hops;
}

/** The API docs page's own policy: its scripts and styles come from the app, nothing from elsewhere. */
const DOCS_CSP = [
  "default-src 'self'", "base-uri 'self'", "script-src 'self'", "script-src-attr 'none'", "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:", "font-src 'self' data:", "connect-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "form-action 'self'",
].join('; ');

/**
 * Alerts react to machine data without machine data knowing them: the engine is passed to the
 * ingestor as its batch observer (runs inside each batch's transaction); the timer and mail worker
 * run while the app is up.
 */
function wireAlerts(app: App, deps: AppDeps, options: NonNullable<BuildOptions['alerts']>): void {
  const { config, db, events } = deps;
  const settings: AlertSettings = {
    zone: config.QMFG_TZ, publicUrl: config.QMFG_PUBLIC_URL, mail: config.QMFG_SMTP_URL !== '' || options.transport !== undefined,
    // control-chart signals of measurement channels and maintenance suggestions, judged by their features
    signals: {
      spc: (executor, machine, now) => spcSignalSubjects(executor, machine, now),
      maintenance: async (executor, machine, now) => {
        const findings = await maintenanceFindings(executor, machine.key, now, config.QMFG_TZ, channelBucketStats);
        const decisive = findings.filter((f) => f.statistic === 'CUSUM');
        return [{ key: machine.key, label: machine.name, active: decisive.length > 0, since: decisive.length > 0 ? now : null, detail: decisive.length > 0 ? `maintenance suggested: ${decisive.map((f) => f.text).join(' ')}` : 'no drift' }];
      },
    },
  };
  const ingestor = ingestorFor(db, config.QMFG_TZ);
  const runtime = new AlertRuntime({
    db, settings, events, intervalMs: options.intervalMs ?? config.QMFG_ALERT_INTERVAL_SECONDS * 1000, smtpUrl: config.QMFG_SMTP_URL,
    mailFrom: config.QMFG_MAIL_FROM || 'qmfg <qmfg@localhost>', transport: options.transport, clock: options.clock,
    onError: (error) => app.log.error(`alerts: ${(error as Error).message ?? String(error)}`),
    // shift reports go out at shift end on the same timer, through the same outbox
    // and the plan as it stands at each shift start is recorded once (the first instance to see the shift)
    jobs: [
      (now) => queueShiftEndMails(db, settings, { zone: config.QMFG_TZ, promptSeconds: config.QMFG_REASON_PROMPT_SECONDS, signatures: shiftLogSignatures(db) }, now),
      (now) => recordShiftBaseline(db, config.QMFG_TZ, now),
    ],
  });
  ingestor.observeBatches(ingestObserver(settings, events, () => runtime.now()));
  app.decorate('alerts', runtime);
  if (!options.leased) app.addHook('onReady', async () => runtime.start());
  app.addHook('onClose', async () => {
    ingestor.observeBatches(null);
    await runtime.stop();
  });
}

/** The alert runtime an app was built with (its timer and mail worker). */
export function alertRuntimeOf(app: App): AlertRuntime {
  return (app as unknown as { alerts: AlertRuntime }).alerts;
}

export async function buildApp(deps: AppDeps, options: BuildOptions = {}): Promise<App> {
  const app = Fastify({
    logger: options.logDestination ? { level: deps.config.LOG_LEVEL, stream: options.logDestination } : options.logger === false ? false : { level: deps.config.LOG_LEVEL },
    // one id per request in every log line (reqId) and the X-Request-Id response header: nginx's $request_id when it sent one
    genReqId: requestIdOf,
    // a line per request drowns what matters at info level; debug/trace keep them
    logController: new LogController({ disableRequestLogging: deps.config.LOG_LEVEL !== 'debug' && deps.config.LOG_LEVEL !== 'trace' }),
    bodyLimit: 50 * 1024 * 1024,
    // the client's address and protocol through a reverse proxy (rate limits, audit, Secure cookies)
    trustProxy: trustProxyOf(deps.config.QMFG_TRUST_PROXY),
    // the framework's own refusals (bad URL, headers too large) in the app's one error shape
    frameworkErrors,
    clientErrorHandler,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  registerInputGuard(app);
  // before the access hooks: a draining instance refuses before any work, a scraper's token is answered before sessions are asked
  const lifecycle = registerLifecycle(app);
  registerMetrics(app, { db: deps.db, zone: deps.config.QMFG_TZ, token: deps.config.QMFG_METRICS_TOKEN, lifecycle });
  // before any route: the access hooks must see every route registered after them
  await registerAuth(app, deps, { signedContent: SIGNED_CONTENT });
  // after the access hook (it knows the session), before every route
  registerClientGate(app, clientGateOf(deps.config));

  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'qmfg API', description: 'Production operations: plant model, calendar, work orders, OEE', version: '0.1.0' },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: DOCS_CSP });

  for (const routes of featureRoutes) await routes(app, deps);
  wireAlerts(app, deps, options.alerts ?? {});
  // production events carry each machine's delta, worked out once per event for every open screen
  deps.events.describe(
    'production',
    (data, now) => withProductionDeltas(deps.db, deps.config.QMFG_TZ, data, now),
    (error) => app.log.error(`live production deltas: ${(error as Error).message ?? String(error)}`),
  );
  // forecast history follows new production: the running lots' forecasts are recorded as they change
  // after each re-plan (not the interim events of live ingest: a forecast per machine per second is real work)
  // (this instance's events only: the instance that ingested records, not every instance that hears of it)
  const forecastRecorder = followProduction(deps.db, deps.config.QMFG_TZ, settledProduction(deps.events.local), app.log);
  // the first settled re-plan in a new shift records the plan at its start, if the timer has not yet
  const baselineRecorder = followReplans(deps.db, deps.config.QMFG_TZ, settledProduction(deps.events.local), app.log);
  app.addHook('onClose', async () => {
    forecastRecorder.stop();
    baselineRecorder.stop();
    await forecastRecorder.idle();
    await baselineRecorder.idle();
    deps.events.describe('production', null);
    await deps.events.idle();
  });
  await simulationRoutes(app, deps, { holder: options.simulation ?? { current: null } });
  registerEventStream(app, deps.events, {
    recheckMs: options.liveSessionRecheckMs ?? LIVE_SESSION_RECHECK_MS,
    sessionEnded: sessionEndOf({ db: deps.db, config: deps.config, onSessionEnd: (end) => deps.events.endSessions(end) }),
  });

  if (options.webRoot && existsSync(join(options.webRoot, 'index.html'))) {
    await app.register(fastifyStatic, {
      root: options.webRoot, prefix: '/', wildcard: false, maxAge: '1h', index: false,
      // /index.html itself, asked directly, is not cached either (a stale app after a deploy)
      setHeaders: (reply, path) => {
        if (path.endsWith('index.html')) reply.header('cache-control', 'no-cache');
      },
    });
    const indexHtml = (_req: unknown, reply: { header: (k: string, v: string) => { sendFile: (f: string, o: { cacheControl: boolean }) => unknown } }) =>
      // the static plugin's own cache header (maxAge) would win over ours: switch it off for the page
      reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false });
    app.get('/', { schema: { hide: true } }, (req, reply) => indexHtml(req, reply));
    // client-side routes of the single-page app
    app.get('/*', { schema: { hide: true } }, (req, reply) => {
      if (req.url.startsWith('/api/')) {
        return reply.code(404).send({ error: { code: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` } });
      }
      return indexHtml(req, reply);
    });
  }
  return app;
}
