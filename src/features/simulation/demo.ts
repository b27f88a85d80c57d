// The living demo in `qmfg serve` (issue 12 item 1): the iTrak lines of the demo plant simulated in
// process (or published over MQTT when QMFG_MQTT_URL is set), after back-filling QMFG_DEMO_DAYS past
// days for the same lots — the board's lots — through machine data's one door, once per database.
import { DateTime } from 'luxon';
import { seedDemoOperatorReports } from '../demo/operator-reports.js';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import { appendAudit } from '../audit/repository.js';
import { SYSTEM } from '../audit/who.js';
import * as plantRepo from '../plant/repository.js';
import { systemImport } from '../machine-data/ingest-audit.js';
import type { Ingestor } from '../machine-data/ingest.js';
import type { Log, ProductionNotifier } from '../machine-data/notifier.js';
import { takeIn } from '../machine-data/service.js';
import { bufferSource } from '../machine-data/sources.js';
import { Simulation } from './runner.js';
import { inProcessSink, mqttSink } from './sinks.js';
import { demoDrifts, demoDriftStart, ensureDemoChannels, inProcessChannelDelivery, seedDemoSpc } from './demo-channels.js';

/** The demo's simulated machines: the iTrak pouching lines. */
export const DEMO_SIMULATED_GROUP = 'pouching-itrak';
export const DEMO_SIMULATION_SEED = 1;
/** How often the running demo ticks. */
export const DEMO_TICK_MS = 1000;

export async function startDemoSimulation(
  db: Db,
  config: Pick<Config, 'QMFG_TZ' | 'QMFG_DEMO_DAYS' | 'QMFG_MQTT_URL' | 'QMFG_MQTT_TOPIC_PREFIX'>,
  machineData: { ingestor: Ingestor; notifier: ProductionNotifier },
  options: { now: number; log: Log; signal?: AbortSignal; backfill: boolean },
): Promise<Simulation | null> {
  const zone = config.QMFG_TZ;
  const machines = (await plantRepo.listMachines(db, DEMO_SIMULATED_GROUP)).filter((m) => m.enabled).map((m) => m.key);
  const sink = config.QMFG_MQTT_URL
    ? await mqttSink({ url: config.QMFG_MQTT_URL, topicPrefix: config.QMFG_MQTT_TOPIC_PREFIX, log: options.log })
    : inProcessSink({ ingestor: machineData.ingestor, notifier: machineData.notifier, zone, log: options.log });
  await ensureDemoChannels(db, machines);
  const from = DateTime.fromMillis(options.now, { zone }).startOf('day').minus({ days: config.QMFG_DEMO_DAYS }).toMillis();
  const driftStart = await demoDriftStart(db, from, config.QMFG_DEMO_DAYS);
  // the channels' samples: through the measurements ingest in process, or published next to the cycles
  const channels = config.QMFG_MQTT_URL && sink.measurements ? { deliver: sink.measurements, flush: async () => undefined } : inProcessChannelDelivery(db, zone, options.log);
  const simulation = new Simulation({ db, zone, seed: DEMO_SIMULATION_SEED, machines, sink, log: options.log, channels: { drifts: demoDrifts(driftStart), deliver: channels.deliver, flush: channels.flush } });
  if (options.backfill && config.QMFG_DEMO_DAYS > 0) {
    let part = 0;
    const cycles = await simulation.backfill(from, options.now, async (machine, lines) => {
      if (options.signal?.aborted) return;
      const name = `SIM${DateTime.fromMillis(from, { zone }).toFormat('yyyyLLdd')}-${++part}.txt`;
      const source = bufferSource(name, Buffer.from(`${lines.join('\n')}\n`, 'latin1'), `demo://${machine}/${name}`);
      await takeIn(machineData.ingestor, [{ machine, file: source, kind: 'demo', final: true, batchRows: 5000 }], { audit: systemImport('demo'), after: { now: true, events: null } });
    });
    await db.transaction().execute((trx) =>
      appendAudit(trx, { ...SYSTEM, entity: 'site', entityKey: 'site', action: 'seed-demo-data', after: { machines, days: config.QMFG_DEMO_DAYS, cycles, simulated: true } }),
    );
    options.log.info(`demo: back-filled ${cycles} simulated cycles on ${machines.join(', ')}`);
    await channels.flush();
    // limits from the days before line9's drift (at least a day of them), then the spc/maintenance rules
    if (driftStart - from >= 86_400_000) await seedDemoSpc(db, machines, { from, to: driftStart }, DEMO_SIMULATED_GROUP, options.log);
    const reports = await seedDemoOperatorReports(db, zone, machines, from, options.now);
    options.log.info(`demo: operators' reports for ${reports.shifts} past shifts (${reports.stops} stop reasons)`);
  }
  if (options.signal?.aborted) {
    await simulation.close();
    return null;
  }
  // pause/resume from `qmfg simulate pause|resume <machine>` (over MQTT, when the sink publishes there)
  await simulation.listenForControl();
  simulation.start(DEMO_TICK_MS);
  options.log.info(`demo: simulating ${machines.join(', ')} live`);
  return simulation;
}
