// The long-running side of measurements inside the server: the channels/ drop-folder watcher and
// the MQTT subscriber for <prefix>/<machine>/measurements (each on when its machine-data twin is).
import { resolve } from 'node:path';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import type { Log } from '../machine-data/notifier.js';
import { MeasurementMqtt } from './mqtt.js';
import { MeasurementWatcher } from './watcher.js';

export interface MeasurementRuntime {
  /** the channels/ drop-folder watcher as a job one instance runs (under its lease); null when QMFG_WATCH is off */
  watcherJob: { start(): Promise<{ close(): Promise<void> }> } | null;
  mqtt: MeasurementMqtt | null;
  close(): Promise<void>;
}

type RuntimeConfig = Pick<Config, 'QMFG_TZ' | 'QMFG_DROP_DIR' | 'QMFG_WATCH' | 'QMFG_WATCH_POLLING' | 'QMFG_WATCH_INTERVAL_MS' | 'QMFG_MQTT_URL' | 'QMFG_MQTT_TOPIC_PREFIX' | 'QMFG_MQTT_CLIENT_ID'>;

export async function startMeasurements(db: Db, config: RuntimeConfig, log: Log): Promise<MeasurementRuntime> {
  const watcherJob = config.QMFG_WATCH
    ? {
        async start() {
          const watcher = new MeasurementWatcher({ db, zone: config.QMFG_TZ, root: resolve(config.QMFG_DROP_DIR), log, usePolling: config.QMFG_WATCH_POLLING, pollIntervalMs: config.QMFG_WATCH_INTERVAL_MS });
          try {
            await watcher.start();
          } catch (error) {
            await watcher.close();
            throw new Error(`measurement drop folder ${config.QMFG_DROP_DIR} cannot be watched: ${(error as Error).message}`);
          }
          return { close: () => watcher.close() };
        },
      }
    : null;
  let mqtt: MeasurementMqtt | null = null;
  if (config.QMFG_MQTT_URL) {
    const clientId = config.QMFG_MQTT_CLIENT_ID ? `${config.QMFG_MQTT_CLIENT_ID}-measurements` : undefined;
    mqtt = new MeasurementMqtt({ url: config.QMFG_MQTT_URL, topicPrefix: config.QMFG_MQTT_TOPIC_PREFIX, db, zone: config.QMFG_TZ, log, clientId });
    void mqtt.start().catch((error: unknown) => log.error(`MQTT measurements ${config.QMFG_MQTT_URL}: ${(error as Error).message}`));
  }
  return {
    watcherJob,
    mqtt,
    async close() {
      await mqtt?.close();
    },
  };
}
