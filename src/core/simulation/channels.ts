// The living demo's measurement channels (issue 14 item 6): what a film-thickness gauge and a seal-bar
// thermocouple on a demo line would report, one sample every 10 s of the calendar's working time —
// also while the machine stands, the gauge still reads the film. Pure: "now" is a parameter and the
// randomness is a seeded PRNG per channel whose state travels in the (JSON-serialisable) state, so
// the same seed, calendar and cycles give the same samples however time is cut into ticks.
//
// Each channel is a true process (slow wander, AR(1), plus white noise) read by an imperfect sensor:
// a spike now and then (one sample, ±10 sd), a stuck spell (the last value repeated 30–120 times),
// a dropout (no samples for 1–15 min). The seal bar cools while the machine stands and heats back up
// after the restart, so its temperature follows the stops honestly; the film on one line can be given
// a slow drift (a worn unwind brake) that also raises the machine's micro-stop rate (the hook the
// simulator reads: `microStopMultiplierOf`).
import { workingIntervals, type CalendarSpec } from '../calendar/index.js';
import { MS_PER_DAY, MS_PER_MINUTE, MS_PER_SECOND } from '../time.js';
import { hashOf, MULBERRY_STEP, mulberryMix } from '../random.js';

export type DemoChannelKey = 'film-thickness' | 'seal-bar-temperature';

/** What the integrator creates a measurement channel from. */
export interface DemoChannel {
  key: DemoChannelKey;
  name: string;
  quantity: string;
  unit: string;
  target: number;
  lsl: number;
  usl: number;
  samplePeriodSeconds: number;
}

export const SAMPLE_PERIOD_SECONDS = 10;
const SAMPLE_PERIOD_MS = SAMPLE_PERIOD_SECONDS * MS_PER_SECOND;

/** The demo's channels, the same on every demo line (in the order their samples are emitted per instant). */
export const DEMO_CHANNELS: readonly DemoChannel[] = [
  { key: 'film-thickness', name: 'Film thickness', quantity: 'thickness', unit: 'mm', target: 0.125, lsl: 0.121, usl: 0.129, samplePeriodSeconds: SAMPLE_PERIOD_SECONDS },
  { key: 'seal-bar-temperature', name: 'Seal-bar temperature', quantity: 'temperature', unit: '°C', target: 185, lsl: 180, usl: 190, samplePeriodSeconds: SAMPLE_PERIOD_SECONDS },
];

/** How a channel's true value and its sensor behave. */
export interface ChannelNoiseSpec {
  /** sd of the slow wander (stationary AR(1)) */
  wanderSd: number;
  /** the wander's correlation time */
  wanderTauSeconds: number;
  /** sd of the sample-to-sample white noise */
  whiteSd: number;
  /** the sensor's resolution: reported values are multiples of it */
  resolution: number;
}

// sd of wander and white noise combine to the natural sd: film √(0.0005² + 0.0005²) ≈ 0.00071 mm
// (Cpk ≈ 0.004 / (3 · 0.00071) ≈ 1.9 when centred), seal bar √(0.42² + 0.43²) ≈ 0.60 °C
export const CHANNEL_NOISE: Readonly<Record<DemoChannelKey, ChannelNoiseSpec>> = {
  'film-thickness': { wanderSd: 0.0005, wanderTauSeconds: 600, whiteSd: 0.0005, resolution: 0.00001 },
  'seal-bar-temperature': { wanderSd: 0.43, wanderTauSeconds: 300, whiteSd: 0.42, resolution: 0.01 },
};

/** The natural (process) sd of a channel's true value: what spikes are measured in. */
export function naturalSd(key: DemoChannelKey): number {
  const { wanderSd, whiteSd } = CHANNEL_NOISE[key];
  return Math.sqrt(wanderSd * wanderSd + whiteSd * whiteSd);
}

// The sensor's faults, per sample in working time (two shifts ≈ 5 900 samples a day)
export const SPIKE_PER_SAMPLE = 1 / 2000;
export const SPIKE_SIZE_SD = 10;
/** ≈ 1 stuck spell per 2 days of two-shift working time */
export const STUCK_PER_SAMPLE = 1 / 12_000;
export const STUCK_SAMPLES: readonly [number, number] = [30, 120];
/** ≈ 1 dropout a day */
export const DROPOUT_PER_SAMPLE = 1 / 6_000;
export const DROPOUT_SAMPLES: readonly [number, number] = [6, 90];

// The seal bar and the machine's stops: with no cycle for STANDING_AFTER the machine stands and the
// bar cools toward target − 9 °C (τ 10 min: a 30–45 min long stop or a break takes it ~8 °C down);
// after the restart it heats back (τ 3 min: within ~1 °C after 10 min).
export const STANDING_AFTER_MS = 2 * MS_PER_MINUTE;
export const SEAL_BAR_STANDING_DROP = 9;
export const SEAL_BAR_COOL_TAU_MS = 10 * MS_PER_MINUTE;
export const SEAL_BAR_HEAT_TAU_MS = 3 * MS_PER_MINUTE;

/** A slow drift of the film's mean thickness from an instant (a worn unwind brake). */
export interface FilmDrift {
  startAt: number;
  /** how far the mean moves up per day, mm */
  mmPerDay: number;
  /** the micro-stop multiplier is 1 + gain · max(0, mean − target) / (usl − target) */
  microStopGain: number;
  /** where the drift stops growing, mm above target (null: it grows on): a demo running for weeks stays plausible */
  maxShiftMm: number | null;
}

/** The demo line whose film drifts. */
export const DEMO_DRIFT_MACHINE = 'line9';

/**
 * The demo's drift: +0.0015 mm a day from `startAt`, micro-stops ×(1 + 3 · excess / 0.004) — twice as
 * many once the film is half its tolerance thick, as a worn brake would make it jam; it levels off at
 * +0.005 mm (micro-stops ×4.75) after 3⅓ days unless `maxShiftMm` says otherwise. (A gain of 40 made
 * the line lose a third of its output within a day: no plant would run that long unnoticed.)
 */
export function demoFilmDrift(startAt: number, maxShiftMm: number | null = 0.005, microStopGain = 3): FilmDrift {
  return { startAt, mmPerDay: 0.0015, microStopGain, maxShiftMm };
}

interface ChannelNoiseState {
  key: DemoChannelKey;
  /** PRNG state (mulberry32) */
  rng: number;
  /** the wander's value (deviation from the mean), null before the first sample */
  wander: number | null;
  /** the last value the sensor reported (what it repeats when stuck) */
  lastReported: number | null;
  stuckRemaining: number;
  dropoutRemaining: number;
}

export interface ChannelSim {
  machine: string;
  /** the earliest instant not yet sampled, UTC ms */
  nextAt: number;
  /** the last sample instant (in working time, reported or not), null before the first */
  lastSampleAt: number | null;
  /** the machine's last cycle seen, null when none yet */
  lastCycleAt: number | null;
  /** the seal bar's deviation from target caused by the stops, °C (≤ 0) */
  sealBarOffset: number;
  drift: FilmDrift | null;
  channels: ChannelNoiseState[];
}

export interface ChannelSample {
  channel: DemoChannelKey;
  at: number;
  value: number;
}

export interface ChannelSamplesResult {
  samples: ChannelSample[];
  state: ChannelSim;
}

/** The channels of a machine from `startAt`, each channel's PRNG seeded from (seed, machine, channel). */
export function initialChannelSim(machine: string, seed: number, startAt: number, drift: FilmDrift | null = null): ChannelSim {
  return {
    machine,
    nextAt: startAt,
    lastSampleAt: null,
    lastCycleAt: null,
    sealBarOffset: 0,
    drift,
    channels: DEMO_CHANNELS.map((channel) => ({ key: channel.key, rng: hashOf('channels', seed, machine, channel.key), wander: null, lastReported: null, stuckRemaining: 0, dropoutRemaining: 0 })),
  };
}

/** How far the film's mean has drifted above target at `at`, mm (0 without a drift). */
export function filmDriftAt(drift: FilmDrift | null, at: number): number {
  if (drift === null || at <= drift.startAt) return 0;
  const shift = ((at - drift.startAt) / MS_PER_DAY) * drift.mmPerDay;
  return drift.maxShiftMm === null ? shift : Math.min(shift, drift.maxShiftMm);
}

/**
 * The machine's micro-stop multiplier as a function of time, for `simulateMachine`'s
 * `microStopMultiplier`: from the drifted mean (not the noisy samples), so it depends on time only.
 */
export function microStopMultiplierOf(state: ChannelSim): (at: number) => number {
  const drift = state.drift;
  const film = DEMO_CHANNELS[0];
  if (drift === null) return () => 1;
  return (at) => 1 + (drift.microStopGain * Math.max(0, filmDriftAt(drift, at))) / (film.usl - film.target);
}

/**
 * The machine's channel samples at the 10 s instants of working time in [from, to) (instants already
 * sampled are skipped), in time order, channels in DEMO_CHANNELS order per instant.
 * `cycles` are the machine's cycles (in time order) up to `to` not given before — the simulator's
 * cycles of the same tick; any at or after `to` are not seen: the seal bar's temperature follows
 * whether the machine runs. Without them the machine counts as standing all along.
 */
export function channelSamples(state: ChannelSim, from: number, to: number, calendar: CalendarSpec, zone: string, cycles: readonly { at: number }[] = []): ChannelSamplesResult {
  const next: ChannelSim = { ...state, channels: state.channels.map((channel) => ({ ...channel })) };
  const samples: ChannelSample[] = [];
  const start = Math.max(from, state.nextAt);
  let cycleIndex = 0;
  if (start < to) {
    for (const interval of workingIntervals(calendar, zone, start, to)) {
      for (let at = Math.ceil(interval.start / SAMPLE_PERIOD_MS) * SAMPLE_PERIOD_MS; at < interval.end; at += SAMPLE_PERIOD_MS) {
        for (; cycleIndex < cycles.length && cycles[cycleIndex].at <= at; cycleIndex++) seeCycle(next, cycles[cycleIndex].at);
        sampleAt(next, at, samples);
      }
    }
  }
  for (; cycleIndex < cycles.length && cycles[cycleIndex].at < to; cycleIndex++) seeCycle(next, cycles[cycleIndex].at);
  next.nextAt = Math.max(state.nextAt, to);
  return { samples, state: next };
}

function seeCycle(state: ChannelSim, at: number): void {
  if (state.lastCycleAt === null || at > state.lastCycleAt) state.lastCycleAt = at;
}

function sampleAt(state: ChannelSim, at: number, samples: ChannelSample[]): void {
  const elapsed = state.lastSampleAt === null ? null : at - state.lastSampleAt;
  const standing = state.lastCycleAt === null || at - state.lastCycleAt >= STANDING_AFTER_MS;
  if (elapsed !== null) {
    const [goal, tau] = standing ? [-SEAL_BAR_STANDING_DROP, SEAL_BAR_COOL_TAU_MS] : [0, SEAL_BAR_HEAT_TAU_MS];
    state.sealBarOffset = goal + (state.sealBarOffset - goal) * Math.exp(-elapsed / tau);
  } else if (standing) {
    // a machine first seen standing has a cold bar
    state.sealBarOffset = -SEAL_BAR_STANDING_DROP;
  }
  state.lastSampleAt = at;
  for (const [index, channel] of DEMO_CHANNELS.entries()) {
    const noise = state.channels[index];
    const mean = channel.key === 'film-thickness' ? channel.target + filmDriftAt(state.drift, at) : channel.target + state.sealBarOffset;
    const value = sensorReading(noise, channel, mean, elapsed);
    if (value !== null) samples.push({ channel: channel.key, at, value });
  }
}

/** The sensor's reading of the channel's true value at this instant, null in a dropout; a fixed number of draws per call. */
function sensorReading(noise: ChannelNoiseState, channel: DemoChannel, mean: number, elapsed: number | null): number | null {
  const spec = CHANNEL_NOISE[noise.key];
  // the wander moves on over any time between samples (off shift too): AR(1) over `elapsed`
  const step = normal(noise);
  if (noise.wander === null || elapsed === null) noise.wander = spec.wanderSd * step;
  else {
    const keep = Math.exp(-elapsed / (spec.wanderTauSeconds * MS_PER_SECOND));
    noise.wander = keep * noise.wander + Math.sqrt(1 - keep * keep) * spec.wanderSd * step;
  }
  const truth = mean + noise.wander + spec.whiteSd * normal(noise);
  const fault = uniform(noise);
  const sign = uniform(noise) < 0.5 ? -1 : 1;
  if (noise.dropoutRemaining > 0) {
    noise.dropoutRemaining--;
    return null;
  }
  if (noise.stuckRemaining > 0 && noise.lastReported !== null) {
    noise.stuckRemaining--;
    return noise.lastReported;
  }
  noise.stuckRemaining = 0;
  if (fault < DROPOUT_PER_SAMPLE) {
    noise.dropoutRemaining = integerBetween(noise, DROPOUT_SAMPLES[0], DROPOUT_SAMPLES[1]) - 1;
    return null;
  }
  let reported = truth;
  if (fault < DROPOUT_PER_SAMPLE + STUCK_PER_SAMPLE && noise.lastReported !== null) {
    // the sensor freezes on its last value: this sample and the spell's others repeat it
    noise.stuckRemaining = integerBetween(noise, STUCK_SAMPLES[0], STUCK_SAMPLES[1]) - 1;
    return noise.lastReported;
  }
  if (fault >= DROPOUT_PER_SAMPLE + STUCK_PER_SAMPLE && fault < DROPOUT_PER_SAMPLE + STUCK_PER_SAMPLE + SPIKE_PER_SAMPLE) {
    reported = truth + sign * SPIKE_SIZE_SD * naturalSd(noise.key);
  }
  const value = roundTo(reported, spec.resolution);
  // a spike is not what a stuck sensor would repeat
  if (reported === truth) noise.lastReported = value;
  return value;
}

/** A value as a multiple of the resolution, without binary fractions' tails (0.12501, not 0.12501000000000001). */
function roundTo(value: number, resolution: number): number {
  const decimals = Math.max(0, Math.ceil(-Math.log10(resolution)));
  return Number((Math.round(value / resolution) * resolution).toFixed(decimals));
}

// ---- randomness ----------------------------------------------------------------------------

function uniform(noise: ChannelNoiseState): number {
  noise.rng = (noise.rng + MULBERRY_STEP) >>> 0;
  return mulberryMix(noise.rng);
}

function integerBetween(noise: ChannelNoiseState, low: number, high: number): number {
  return Math.floor(low + uniform(noise) * (high - low + 1));
}

/** A standard normal draw (Box–Muller, one of the pair): two uniforms. */
function normal(noise: ChannelNoiseState): number {
  const radius = Math.sqrt(-2 * Math.log(1 - uniform(noise)));
  return radius * Math.cos(2 * Math.PI * uniform(noise));
}
