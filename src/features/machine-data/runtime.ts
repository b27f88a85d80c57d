// The long-running side of machine data inside the server: the drop-folder watcher, the MQTT
// subscriber, the daily retention of raw cycles, and the throttled re-plan/SSE after live ingest.
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { mqttSharedOf, type Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import { AUDIT_INTERVAL_MS } from './ingest-audit.js';
import { ingestorFor, type Ingestor } from './ingest.js';
import { type Publisher } from './service.js';
import { MqttIngest } from './mqtt.js';
import { ProductionNotifier, type Log } from './notifier.js';
import { deleteExpiredRawData } from './retention.js';
import { DropFolderWatcher } from './watcher.js';
import { MS_PER_DAY } from '../../core/time.js';

/** First retention run a minute after start (not in the way of start-up), then daily. */
const FIRST_RETENTION_DELAY_MS = 60_000;

export interface MachineDataRuntime {
  ingestor: Ingestor;
  notifier: ProductionNotifier;
  mqtt: MqttIngest | null;
  /** the drop-folder watcher as a job one instance runs (under its lease); null when QMFG_WATCH is off */
  watcherJob: { start(): Promise<{ close(): Promise<void> }> } | null;
  /** deleting raw cycles past QMFG_RAW_RETENTION_DAYS, a minute after start and then daily: a job for one instance */
  retentionJob: { start(): Promise<{ close(): Promise<void> }> };
  close(): Promise<void>;
}

export type MachineDataConfig = Pick<
  Config,
  | 'QMFG_TZ' | 'QMFG_DROP_DIR' | 'QMFG_WATCH' | 'QMFG_WATCH_POLLING' | 'QMFG_WATCH_INTERVAL_MS' | 'QMFG_MQTT_URL' | 'QMFG_MQTT_TOPIC_PREFIX' | 'QMFG_MQTT_CLIENT_ID' | 'QMFG_RAW_RETENTION_DAYS'
  | 'QMFG_MQTT_SHARED' | 'QMFG_MQTT_CONNECTIONS' | 'DATABASE_URL' | 'PORT'
>;

/**
 * The MQTT client id (names the broker's persistent session): as configured, else qmfg-<host>, and
 * with the shared subscription qmfg-<host>-<PORT>: one session per instance (two clients with one id
 * would push each other off the broker), the same again after a restart (its unacknowledged messages
 * come back to it).
 */
export function mqttClientIdOf(config: Pick<Config, 'QMFG_MQTT_CLIENT_ID' | 'PORT'>, shared: boolean): string {
  if (config.QMFG_MQTT_CLIENT_ID) return config.QMFG_MQTT_CLIENT_ID;
  if (!shared) return `qmfg-${hostname()}`;
  return `qmfg-${hostname()}-${config.PORT || process.pid}`;
}

/**
 * Ingest on every instance (the ingestor, its audit flush, MQTT as a member of the shared
 * subscription); the watcher and retention as jobs the caller runs where their lease is held.
 */
export async function startMachineData(db: Db, config: MachineDataConfig, events: Publisher, log: Log): Promise<MachineDataRuntime> {
  const zone = config.QMFG_TZ;
  const ingestor = ingestorFor(db, zone);
  const notifier = new ProductionNotifier(db, zone, events, log);
  const watcherJob = config.QMFG_WATCH
    ? {
        async start() {
          const watcher = new DropFolderWatcher({
            ingestor, notifier, root: resolve(config.QMFG_DROP_DIR), zone, log, usePolling: config.QMFG_WATCH_POLLING, pollIntervalMs: config.QMFG_WATCH_INTERVAL_MS,
          });
          try {
            await watcher.start();
          } catch (error) {
            await watcher.close();
            throw new Error(`drop folder ${config.QMFG_DROP_DIR} cannot be watched: ${(error as Error).message}`);
          }
          return { close: () => watcher.close() };
        },
      }
    : null;

  let mqtt: MqttIngest | null = null;
  if (config.QMFG_MQTT_URL) {
    const shared = mqttSharedOf(config);
    mqtt = new MqttIngest({ url: config.QMFG_MQTT_URL, topicPrefix: config.QMFG_MQTT_TOPIC_PREFIX, clientId: mqttClientIdOf(config, shared), shared, connections: config.QMFG_MQTT_CONNECTIONS, ingestor, notifier, zone, log });
    void mqtt.start().catch((error: unknown) => log.error(`MQTT ${config.QMFG_MQTT_URL}: ${(error as Error).message}`));
  }

  const retentionJob = {
    async start() {
      let running: Promise<unknown> = Promise.resolve();
      const runRetention = () => {
        running = deleteExpiredRawData(db, config.QMFG_RAW_RETENTION_DAYS, Date.now()).then(
          (result) => {
            if (result.cyclesDeleted > 0) log.info(`retention: deleted ${result.cyclesDeleted} raw cycles older than ${new Date(result.cutoff).toISOString()}`);
          },
          (error: unknown) => log.error(`retention of raw cycles failed: ${(error as Error).message}`),
        );
      };
      const firstRetention = setTimeout(runRetention, FIRST_RETENTION_DELAY_MS);
      const dailyRetention = setInterval(runRetention, MS_PER_DAY);
      firstRetention.unref();
      dailyRetention.unref();
      return {
        async close() {
          clearTimeout(firstRetention);
          clearInterval(dailyRetention);
          await running;
        },
      };
    },
  };
  const auditFlush = setInterval(
    () => void ingestor.flushAudits().catch((error: unknown) => log.error(`audit of imported machine data failed: ${(error as Error).message}`)),
    AUDIT_INTERVAL_MS,
  );
  auditFlush.unref();

  return {
    ingestor,
    notifier,
    mqtt,
    watcherJob,
    retentionJob,
    async close() {
      clearInterval(auditFlush);
      await mqtt?.close();
      await ingestor.idle();
      await ingestor.flushAudits();
      await notifier.close();
    },
  };
}
