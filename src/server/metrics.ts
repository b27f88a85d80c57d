// GET /metrics in Prometheus' text format (prom-client), one registry per app: request durations by
// route pattern, ingest rows and lag per machine, open live streams, the database pool, job leases
// held, the alert outbox's depth and re-plan durations. For a signed-in administrator (the access
// hook) or a scraper with `Authorization: Bearer $QMFG_METRICS_TOKEN` (answered before the access
// hook, which knows sessions only).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from '../db/database.js';
import { poolStatsOf } from '../db/connect.js';
import { ingestorFor } from '../features/machine-data/ingest.js';
import { observeReplans } from '../features/orders/planner.js';
import { countUnsentMails } from '../features/alerts/outbox-repository.js';
import type { Lifecycle } from './lifecycle.js';

export const METRICS_PATH = '/metrics';
/** Window of the ingest rows-per-second gauge. */
const RATE_WINDOW_MS = 60_000;

/** Process metrics (CPU, memory, event loop, GC) are the process's, not an app's: one registry for all apps of a process. */
let processRegistry: Registry | null = null;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, prefix: 'qmfg_' });
  }
  return processRegistry;
}

export interface Metrics {
  registry: Registry;
  /** the lease keeper's jobs held by this instance (set by the runtime once it has a keeper) */
  watchLeases(held: () => readonly string[]): void;
  /** the whole exposition: this app's metrics and the process's */
  render(): Promise<{ contentType: string; body: string }>;
}

export function metricsOf(app: FastifyInstance): Metrics {
  return (app as unknown as { metrics: Metrics }).metrics;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest();

/** Bearer token compared in constant time (hashes of equal length). */
function bearerMatches(header: string | undefined, token: string): boolean {
  if (token === '' || !header?.startsWith('Bearer ')) return false;
  return timingSafeEqual(sha256(header.slice('Bearer '.length).trim()), sha256(token));
}

export function registerMetrics(app: FastifyInstance, deps: { db: Db; zone: string; token: string; lifecycle: Lifecycle }): Metrics {
  const registry = new Registry();
  const requestDuration = new Histogram({
    name: 'qmfg_http_request_duration_seconds',
    help: 'HTTP request duration by route pattern, method and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const ingestRows = new Counter({ name: 'qmfg_ingest_rows_total', help: 'Cycles stored by ingest, per machine', labelNames: ['machine'] as const, registers: [registry] });
  const ingestDuplicates = new Counter({ name: 'qmfg_ingest_duplicate_rows_total', help: 'Cycles left out by ingest as already stored, per machine', labelNames: ['machine'] as const, registers: [registry] });
  const ingestBatches = new Counter({ name: 'qmfg_ingest_batches_total', help: 'Ingest batches committed, per machine', labelNames: ['machine'] as const, registers: [registry] });
  const ingestLag = new Gauge({ name: 'qmfg_ingest_lag_seconds', help: 'At the last committed batch: time from its last cycle to its storage, per machine', labelNames: ['machine'] as const, registers: [registry] });
  const recent = new Map<string, { at: number; rows: number }[]>();
  new Gauge({
    name: 'qmfg_ingest_rows_per_second',
    help: `Cycles stored per second over the last ${RATE_WINDOW_MS / 1000} s, per machine`,
    labelNames: ['machine'] as const,
    registers: [registry],
    collect() {
      this.reset();
      const since = Date.now() - RATE_WINDOW_MS;
      for (const [machine, entries] of recent) {
        const kept = entries.filter((e) => e.at >= since);
        recent.set(machine, kept);
        this.set({ machine }, kept.reduce((sum, e) => sum + e.rows, 0) / (RATE_WINDOW_MS / 1000));
      }
    },
  });
  const stopIngest = ingestorFor(deps.db, deps.zone).onBatchCommitted((batch) => {
    ingestBatches.inc({ machine: batch.machine });
    if (batch.stored > 0) ingestRows.inc({ machine: batch.machine }, batch.stored);
    if (batch.duplicates > 0) ingestDuplicates.inc({ machine: batch.machine }, batch.duplicates);
    if (batch.lastAt !== null) ingestLag.set({ machine: batch.machine }, Math.max(0, batch.now - batch.lastAt) / 1000);
    const entries = recent.get(batch.machine) ?? [];
    entries.push({ at: Date.now(), rows: batch.stored });
    recent.set(batch.machine, entries);
  });
  const replanDuration = new Histogram({
    name: 'qmfg_replan_duration_seconds',
    help: 'Re-plan runs: plan inputs read, scheduled, changed forecasts written',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const stopReplans = observeReplans((run) => replanDuration.observe(run.ms / 1000));
  new Gauge({
    name: 'qmfg_sse_clients', help: 'Open live-event streams (/api/events) on this instance', registers: [registry],
    collect() {
      this.set(deps.lifecycle.streams.size);
    },
  });
  new Gauge({
    name: 'qmfg_db_pool_connections', help: 'Database pool connections by state (the driver\'s counts; none for SQLite)', labelNames: ['state'] as const, registers: [registry],
    collect() {
      this.reset();
      const stats = poolStatsOf(deps.db);
      if (!stats) return;
      this.set({ state: 'total' }, stats.total);
      this.set({ state: 'idle' }, stats.idle);
      this.set({ state: 'in_use' }, stats.total - stats.idle);
      this.set({ state: 'waiting' }, stats.waiting);
      this.set({ state: 'max' }, stats.max);
    },
  });
  let heldLeases: () => readonly string[] = () => [];
  new Gauge({
    name: 'qmfg_job_leases_held', help: 'Background-job leases this instance holds (1 per job held)', labelNames: ['job'] as const, registers: [registry],
    collect() {
      this.reset();
      for (const job of heldLeases()) this.set({ job }, 1);
    },
  });
  new Gauge({
    name: 'qmfg_alert_outbox_pending', help: 'Alert mails not sent yet (pending or being sent), counted at scrape', registers: [registry],
    async collect() {
      this.set(await countUnsentMails(deps.db));
    },
  });

  app.addHook('onResponse', async (request, reply) => {
    // the route's pattern, never the URL itself (ids would make a series each); unknown URLs share one
    const route = request.routeOptions.url ?? 'unmatched';
    // a live stream's "duration" is how long a screen stayed open: counted by qmfg_sse_clients instead
    if (route === '/api/events' && reply.statusCode === 200) return;
    requestDuration.observe({ method: request.method, route: request.is404 ? 'unmatched' : route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  app.addHook('onClose', async () => {
    stopIngest();
    stopReplans();
  });

  const metrics: Metrics = {
    registry,
    watchLeases(held) {
      heldLeases = held;
    },
    async render() {
      const own = await registry.metrics();
      const process = await processMetrics().metrics();
      return { contentType: registry.contentType, body: `${own}\n${process}` };
    },
  };
  app.decorate('metrics', metrics);

  const send = async (reply: FastifyReply): Promise<void> => {
    const { contentType, body } = await metrics.render();
    reply.code(200).header('content-type', contentType).header('cache-control', 'no-store').send(body);
  };
  // a scraper's token: answered here, before the access hook (registered after this) asks for a session
  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'GET' || request.url.split('?')[0] !== METRICS_PATH) return;
    if (!bearerMatches(request.headers.authorization, deps.token)) return;
    await send(reply);
    return reply;
  });
  // an administrator's session: the access hook lets only administrators through (users:admin)
  app.get(METRICS_PATH, { config: { permission: 'users:admin', clientGate: false }, schema: { hide: true } }, async (_request, reply) => {
    await send(reply);
    return reply;
  });
  return metrics;
}
