// The long-running side of machine data inside the server: the drop-folder watcher, the MQTT
// subscriber, the daily retention of raw cycles, and the throttled re-plan/SSE after live ingest.
import { resolve } from 'node:path';
import type { Config } from '../../config.js';
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
  watcher: DropFolderWatcher | null;
  mqtt: MqttIngest | null;
  close(): Promise<void>;
}

export type MachineDataConfig = Pick<
  Config,
  'QMFG_TZ' | 'QMFG_DROP_DIR' | 'QMFG_WATCH' | 'QMFG_WATCH_POLLING' | 'QMFG_WATCH_INTERVAL_MS' | 'QMFG_MQTT_URL' | 'QMFG_MQTT_TOPIC_PREFIX' | 'QMFG_MQTT_CLIENT_ID' | 'QMFG_RAW_RETENTION_DAYS'
>;

export async function startMachineData(db: Db, config: MachineDataConfig, events: Publisher, log: Log): Promise<MachineDataRuntime> {
  const zone = config.QMFG_TZ;
  const ingestor = ingestorFor(db, zone);
  const notifier = new ProductionNotifier(db, zone, events, log);
  let watcher: DropFolderWatcher | null = null;
  if (config.QMFG_WATCH) {
    const candidate = new DropFolderWatcher({
      ingestor, notifier, root: resolve(config.QMFG_DROP_DIR), zone, log, usePolling: config.QMFG_WATCH_POLLING, pollIntervalMs: config.QMFG_WATCH_INTERVAL_MS,
    });
    try {
      await candidate.start();
      watcher = candidate;
    } catch (error) {
      // the server is still useful without the drop folder (upload, MQTT, CLI): say why it is off
      log.error(`drop folder ${config.QMFG_DROP_DIR} cannot be watched: ${(error as Error).message}`);
      await candidate.close();
    }
  }

  let mqtt: MqttIngest | null = null;
  if (config.QMFG_MQTT_URL) {
    mqtt = new MqttIngest({ url: config.QMFG_MQTT_URL, topicPrefix: config.QMFG_MQTT_TOPIC_PREFIX, clientId: config.QMFG_MQTT_CLIENT_ID || undefined, ingestor, notifier, zone, log });
    // not awaited: an unreachable broker must not hold the server's start (mqtt.js keeps retrying)
    void mqtt.start().catch((error: unknown) => log.error(`MQTT ${config.QMFG_MQTT_URL}: ${(error as Error).message}`));
  }

  const runRetention = () =>
    void deleteExpiredRawData(db, config.QMFG_RAW_RETENTION_DAYS, Date.now()).then(
      (result) => {
        if (result.cyclesDeleted > 0) log.info(`retention: deleted ${result.cyclesDeleted} raw cycles older than ${new Date(result.cutoff).toISOString()}`);
      },
      (error: unknown) => log.error(`retention of raw cycles failed: ${(error as Error).message}`),
    );
  // live files and MQTT streams: what arrived since their last audit entry gets one at least this often
  const auditFlush = setInterval(
    () => void ingestor.flushAudits().catch((error: unknown) => log.error(`audit of imported machine data failed: ${(error as Error).message}`)),
    AUDIT_INTERVAL_MS,
  );
  auditFlush.unref();
  const firstRetention = setTimeout(runRetention, FIRST_RETENTION_DELAY_MS);
  const dailyRetention = setInterval(runRetention, MS_PER_DAY);
  firstRetention.unref();
  dailyRetention.unref();

  return {
    ingestor,
    notifier,
    watcher,
    mqtt,
    async close() {
      clearTimeout(firstRetention);
      clearInterval(auditFlush);
      clearInterval(dailyRetention);
      await watcher?.close();
      await mqtt?.close();
      await ingestor.idle();
      await ingestor.flushAudits();
      await notifier.close();
    },
  };
}
