// The living demo's runner (issue 12 item 1): ticks the pure simulation (core/simulation) for each
// simulated machine with the board's queue of that machine, and hands the camera lines to a sink —
// in process through machine data's one door (takeIn, via the MQTT message path without a broker),
// or published over MQTT to a running server (same topics and payload mqtt.ts consumes). A paused
// machine makes nothing and reports "stopped" (<prefix>/<machine>/state); resumed, it reports
// "running" and goes on from that moment.
import type { Db } from '../../db/database.js';
import { cameraLine, initialMachineSim, resumeMachineSim, simulateMachine, type MachineSim, type SimJob } from '../../core/simulation/index.js';
import { channelSamples, initialChannelSim, microStopMultiplierOf, type ChannelSample, type ChannelSim, type FilmDrift } from '../../core/simulation/channels.js';
import type { CalendarSpec } from '../../core/calendar/index.js';
import { loadCalendarSpec } from '../calendar/repository.js';
import * as ordersRepo from '../orders/repository.js';
import * as plantRepo from '../plant/repository.js';
import type { Log } from '../machine-data/notifier.js';
import type { SimulationSink } from './sinks.js';

export interface SimulationOptions {
  db: Db;
  zone: string;
  seed: number;
  machines: readonly string[];
  sink: SimulationSink;
  log: Log;
  /** simulated time runs this many times faster than the clock (default 1) */
  speed?: number;
  /** the real clock (tests pass their own) */
  clock?: () => number;
  /**
   * The machines' measurement channels (film thickness, seal-bar temperature), sampled alongside the
   * cycles: `deliver` takes them in; a machine with a drift jams more as its film thickens.
   */
  channels?: {
    drifts?: ReadonlyMap<string, FilmDrift>;
    deliver(machine: string, samples: ChannelSample[]): Promise<void>;
    /** what is pending (e.g. the summary audit of live samples), at close */
    flush?(): Promise<void>;
  };
}

export interface SimulatedMachineStatus {
  machine: string;
  paused: boolean;
  lot: string | null;
  item: string | null;
  /** parts of the lot so far */
  count: number;
  /** cycles sent since start */
  cycles: number;
}

export interface TickResult {
  at: number;
  machines: { machine: string; cycles: number }[];
}

/** Jobs of a machine's queue as the simulation needs them: lot, item number, quantity, produced. */
export async function boardJobs(db: Db, machine: string): Promise<SimJob[]> {
  const queue = (await ordersRepo.machineQueue(db, machine)).filter((op) => op.state !== 'held');
  if (queue.length === 0) return [];
  const orders = new Map((await ordersRepo.listWorkOrders(db, [...new Set(queue.map((op) => op.lot))])).map((wo) => [wo.lot, wo]));
  const items = new Map((await plantRepo.listProducts(db)).map((p) => [p.key, p.itemNumber]));
  const jobs: SimJob[] = [];
  for (const op of queue) {
    const order = orders.get(op.lot);
    const item = order ? items.get(order.product_key) : undefined;
    if (!order || !item) continue;
    jobs.push({ lot: op.lot, item, quantity: Number(order.quantity), produced: Number(op.produced) });
  }
  return jobs;
}

export class Simulation {
  private readonly states = new Map<string, MachineSim>();
  private readonly channelStates = new Map<string, ChannelSim>();
  private readonly paused = new Set<string>();
  private readonly sent = new Map<string, number>();
  private readonly clock: () => number;
  private readonly speed: number;
  private readonly startedAt: number;
  private simulatedStart: number;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: SimulationOptions) {
    this.clock = options.clock ?? Date.now;
    this.speed = options.speed ?? 1;
    if (!(this.speed > 0 && this.speed <= 10_000)) throw new Error(`speed must be a number in (0, 10000], got ${options.speed}`);
    this.startedAt = this.clock();
    this.simulatedStart = this.startedAt;
  }

  get machines(): readonly string[] {
    return this.options.machines;
  }

  /** Simulated "now": the clock, sped up from the start. */
  now(): number {
    return this.simulatedStart + (this.clock() - this.startedAt) * this.speed;
  }

  /**
   * Answers pause/resume sent over the sink's control channel (MQTT) for the machines it simulates;
   * a machine it does not run is left to another simulator (no answer).
   */
  async listenForControl(): Promise<boolean> {
    if (!this.options.sink.onControl) return false;
    await this.options.sink.onControl(async (machine, control) => {
      if (!this.has(machine)) return undefined;
      return control.action === 'pause' ? this.pause(machine) : this.resume(machine);
    });
    return true;
  }

  /** Back-fills [from, to) for every machine with the board's queue (lines grouped per call of `deliver`). */
  async backfill(from: number, to: number, deliver: (machine: string, lines: string[]) => Promise<void>): Promise<number> {
    const calendar = await loadCalendarSpec(this.options.db);
    let total = 0;
    for (const machine of this.options.machines) {
      // the board's produced counts come from this data: the lots start from nothing
      const jobs = (await boardJobs(this.options.db, machine)).map((job) => ({ ...job, produced: 0 }));
      let state = initialMachineSim(machine, this.options.seed, from);
      const dayMs = 86_400_000;
      for (let start = from; start < to; start += dayMs) {
        const until = Math.min(start + dayMs, to);
        const result = simulateMachine({ state, jobs, calendar, zone: this.options.zone, until, microStopMultiplier: this.multiplierOf(machine, start) });
        state = result.state;
        if (result.cycles.length > 0) await deliver(machine, result.cycles.map((cycle) => cameraLine(cycle, this.options.zone)));
        await this.sampleChannels(machine, start, until, calendar, result.cycles);
        total += result.cycles.length;
        // generating is synchronous work: let requests through
        await new Promise((resolve) => setImmediate(resolve));
      }
      this.states.set(machine, state);
    }
    return total;
  }

  /** One step: every machine that is not paused runs up to the simulated now. */
  async tick(at = this.now()): Promise<TickResult> {
    const run = this.running.then(() => this.step(at));
    this.running = run.catch(() => undefined);
    return run;
  }

  private async step(at: number): Promise<TickResult> {
    const { db, zone, seed, sink } = this.options;
    let calendar: CalendarSpec | null = null;
    const machines: TickResult['machines'] = [];
    for (const machine of this.options.machines) {
      if (this.paused.has(machine)) {
        machines.push({ machine, cycles: 0 });
        continue;
      }
      calendar ??= await loadCalendarSpec(db);
      const jobs = await boardJobs(db, machine);
      const state = this.states.get(machine) ?? initialMachineSim(machine, seed, at);
      const from = state.nextAt;
      const result = simulateMachine({ state, jobs, calendar, zone, until: at, microStopMultiplier: this.multiplierOf(machine, from) });
      if (result.cycles.length > 0) await sink.cycles(machine, result.cycles.map((cycle) => cameraLine(cycle, zone)), result.cycles[0].at);
      await this.sampleChannels(machine, this.channelStates.get(machine)?.nextAt ?? Math.min(from, at), at, calendar, result.cycles);
      this.states.set(machine, result.state);
      this.sent.set(machine, (this.sent.get(machine) ?? 0) + result.cycles.length);
      machines.push({ machine, cycles: result.cycles.length });
    }
    return { at, machines };
  }

  /** The machine's channel state, created at `from` the first time. */
  private channelState(machine: string, from: number): ChannelSim {
    let state = this.channelStates.get(machine);
    if (!state) {
      state = initialChannelSim(machine, this.options.seed, from, this.options.channels?.drifts?.get(machine) ?? null);
      this.channelStates.set(machine, state);
    }
    return state;
  }

  private multiplierOf(machine: string, from: number): ((at: number) => number) | undefined {
    if (!this.options.channels) return undefined;
    return microStopMultiplierOf(this.channelState(machine, from));
  }

  private async sampleChannels(machine: string, from: number, to: number, calendar: CalendarSpec, cycles: readonly { at: number }[]): Promise<void> {
    const channels = this.options.channels;
    if (!channels || to <= from) return;
    const result = channelSamples(this.channelState(machine, from), from, to, calendar, this.options.zone, cycles);
    this.channelStates.set(machine, result.state);
    if (result.samples.length > 0) await channels.deliver(machine, result.samples);
  }

  has(machine: string): boolean {
    return this.options.machines.includes(machine);
  }

  async pause(machine: string, at = this.now()): Promise<SimulatedMachineStatus> {
    this.requireMachine(machine);
    await this.running;
    if (!this.paused.has(machine)) {
      this.paused.add(machine);
      await this.options.sink.state(machine, 'stopped', at);
      this.options.log.info(`simulation: ${machine} paused`);
    }
    return this.statusOf(machine);
  }

  async resume(machine: string, at = this.now()): Promise<SimulatedMachineStatus> {
    this.requireMachine(machine);
    await this.running;
    if (this.paused.delete(machine)) {
      const state = this.states.get(machine);
      if (state) this.states.set(machine, resumeMachineSim(state, at));
      await this.options.sink.state(machine, 'running', at);
      this.options.log.info(`simulation: ${machine} resumed`);
    }
    return this.statusOf(machine);
  }

  status(): SimulatedMachineStatus[] {
    return this.options.machines.map((machine) => this.statusOf(machine));
  }

  /** Ticks every `intervalMs` until close(). */
  start(intervalMs = 1000): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      void this.tick().catch((error: unknown) => this.options.log.error(`simulation tick failed: ${(error as Error).message}`));
    }, intervalMs);
    this.timer.unref();
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    await this.options.channels?.flush?.();
    await this.options.sink.close();
  }

  private statusOf(machine: string): SimulatedMachineStatus {
    const state = this.states.get(machine);
    return { machine, paused: this.paused.has(machine), lot: state?.lot ?? null, item: state?.item ?? null, count: state?.count ?? 0, cycles: this.sent.get(machine) ?? 0 };
  }

  private requireMachine(machine: string): void {
    if (!this.has(machine)) throw new UnknownSimulatedMachine(machine, this.options.machines);
  }
}

export class UnknownSimulatedMachine extends Error {
  constructor(
    readonly machine: string,
    machines: readonly string[],
  ) {
    super(`machine '${machine}' is not simulated here (simulated: ${machines.join(', ') || 'none'})`);
  }
}
