// The demo's measurement channels (issue 14 item 6): film thickness and seal-bar temperature on
// every simulated iTrak line, sampled by the simulation with its cycles; line9's film drifts slowly
// thicker (a worn unwind brake) and jams it more often, so the demo shows SPC signals, the
// correlation with micro-stops and a maintenance suggestion. Limits are frozen from the back-filled
// days before the drift, and the demo plant gets spc and maintenance alert rules.
import type { Db } from '../../db/database.js';
import { DEMO_CHANNELS, DEMO_DRIFT_MACHINE, demoFilmDrift, type ChannelSample, type FilmDrift } from '../../core/simulation/channels.js';
import { SYSTEM } from '../audit/who.js';
import * as alertsService from '../alerts/service.js';
import { createChannel, firstSampleAt, getChannel, ingestMeasurements, listChannels, type MeasurementDoor } from '../measurements/service.js';
import { auditStream } from '../measurements/ingest.js';
import type { ChannelCreate } from '../measurements/schemas.js';
import { setLimits } from '../spc/service.js';
import type { Log } from '../machine-data/notifier.js';

const DAY_MS = 86_400_000;
const DOOR: MeasurementDoor = { who: { ...SYSTEM, source: 'demo' }, action: 'import' };
/** live samples are audited in summary, like MQTT's: at most one entry per machine this often */
const AUDIT_EVERY_MS = 5 * 60_000;

/** Creates the demo channels on the machines that lack them. */
export async function ensureDemoChannels(db: Db, machines: readonly string[]): Promise<void> {
  for (const machine of machines) {
    const existing = new Set((await listChannels(db, machine)).map((c) => c.key));
    for (const channel of DEMO_CHANNELS) {
      if (existing.has(channel.key)) continue;
      await createChannel(db, SYSTEM, machine, {
        key: channel.key, name: channel.name, quantity: channel.quantity, unit: channel.unit as ChannelCreate['unit'], target: channel.target, lsl: channel.lsl, usl: channel.usl,
        samplePeriodSeconds: channel.samplePeriodSeconds, source: { kind: 'mqtt' },
      });
    }
  }
}

/**
 * When line9's film starts to drift: a day before the end of the back-filled days (so their first
 * days are a baseline), anchored on the channel's first stored reading so a restart keeps it.
 */
export async function demoDriftStart(db: Db, backfillFrom: number, days: number): Promise<number> {
  const channel = await getChannel(db, DEMO_DRIFT_MACHINE, 'film-thickness').catch(() => null);
  // one indexed min(at), not the channel's readings (this runs at every start)
  const first = channel ? await firstSampleAt(db, channel.id) : null;
  const anchor = first ?? backfillFrom;
  return anchor + Math.max(0, days - 1) * DAY_MS;
}

export function demoDrifts(driftStart: number): ReadonlyMap<string, FilmDrift> {
  return new Map([[DEMO_DRIFT_MACHINE, demoFilmDrift(driftStart)]]);
}

/** The in-process door for the simulation's samples: the measurements ingest, audited in summary. */
export function inProcessChannelDelivery(db: Db, zone: string, log: Log): { deliver(machine: string, samples: ChannelSample[]): Promise<void>; flush(): Promise<void> } {
  const pending = new Map<string, { samples: number; messages: number; channels: Record<string, number>; since: number }>();
  const flushMachine = async (machine: string, now: number) => {
    const stored = pending.get(machine);
    if (!stored || stored.samples === 0) return;
    pending.delete(machine);
    await auditStream(db, DOOR, machine, 'demo', stored, now);
  };
  return {
    async deliver(machine, samples) {
      const [result] = await ingestMeasurements({ db, zone }, [{ machine, name: `demo://${machine}/channels`, samples }], DOOR);
      const entry = pending.get(machine) ?? { samples: 0, messages: 0, channels: {}, since: Date.now() };
      entry.samples += result.stored;
      entry.messages++;
      for (const sample of samples) entry.channels[sample.channel] = (entry.channels[sample.channel] ?? 0) + 1;
      pending.set(machine, entry);
      if (result.errors.length > 0) log.warn(`demo channels ${machine}: ${result.errors.map((e) => e.message).join('; ')}`);
      if (Date.now() - entry.since >= AUDIT_EVERY_MS) await flushMachine(machine, Date.now());
    },
    async flush() {
      for (const machine of [...pending.keys()]) await flushMachine(machine, Date.now());
    },
  };
}

/** Limits of every demo channel from the back-filled days before the drift, and the demo's alert rules. */
export async function seedDemoSpc(db: Db, machines: readonly string[], baseline: { from: number; to: number }, group: string, log: Log): Promise<void> {
  const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');
  for (const machine of machines) {
    for (const channel of DEMO_CHANNELS) {
      try {
        await setLimits(db, SYSTEM, machine, channel.key, { baselineFrom: iso(baseline.from), baselineTo: iso(baseline.to), subgroupMinutes: 5, rules: 'none', reason: 'demo: limits from the first back-filled days' }, Date.now());
      } catch (error) {
        log.warn(`demo: no control limits for ${machine} ${channel.key}: ${(error as Error).message}`);
      }
    }
  }
  const rules = await alertsService.listRules(db);
  if (!rules.some((r) => r.kind === 'spc')) await alertsService.createRule(db, SYSTEM, { kind: 'spc', scope: 'group', scopeKey: group, minutes: 0, clearMinutes: 30, capPerHour: 4, role: 'quality', enabled: true });
  if (!rules.some((r) => r.kind === 'maintenance')) await alertsService.createRule(db, SYSTEM, { kind: 'maintenance', scope: 'group', scopeKey: group, minutes: 0, clearMinutes: 60, capPerHour: 2, role: 'lead', enabled: true });
}
