// Hand-made measurement data for tests and benches: a film-thickness-like series (white noise, a
// slow AR(1) wander and single-sample spikes, seeded) and the LabVIEW .lvm text that carries it.
import { DateTime } from 'luxon';
import { mulberry32 } from '../core/random.js';

export interface FilmSeriesOptions {
  seed: number;
  /** UTC ms of the first reading */
  start: number;
  count: number;
  /** default 1 000 (1 Hz) */
  periodMs?: number;
  /** default 0.125 */
  centre?: number;
  /** sd of the slow wander (default 0.0005) and its correlation time (default 600 s) */
  wanderSd?: number;
  wanderTauSeconds?: number;
  /** sd of the reading-to-reading noise (default 0.0005) */
  whiteSd?: number;
  /** probability of a single-reading spike of ±10 natural sd (default 1/2000) */
  spikeRate?: number;
  /** from this instant on every reading is moved by `by` (an injected shift) */
  shift?: { at: number; by: number };
}

export interface SeriesSample {
  at: number;
  value: number;
}

/** Readings rounded to 0.00001 (a gauge's resolution), deterministic for a seed. */
export function filmSeries(options: FilmSeriesOptions): SeriesSample[] {
  const random = mulberry32(options.seed);
  const normal = () => {
    // Box–Muller; 1 − u keeps the logarithm finite
    const u = 1 - random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const periodMs = options.periodMs ?? 1000;
  const centre = options.centre ?? 0.125;
  const wanderSd = options.wanderSd ?? 0.0005;
  const whiteSd = options.whiteSd ?? 0.0005;
  const spikeRate = options.spikeRate ?? 1 / 2000;
  const phi = Math.exp(-periodMs / 1000 / (options.wanderTauSeconds ?? 600));
  const innovation = wanderSd * Math.sqrt(1 - phi * phi);
  const natural = Math.hypot(wanderSd, whiteSd);
  const out: SeriesSample[] = new Array(options.count);
  let wander = wanderSd * normal();
  for (let i = 0; i < options.count; i++) {
    const at = options.start + i * periodMs;
    wander = phi * wander + innovation * normal();
    let value = centre + wander + whiteSd * normal();
    if (random() < spikeRate) value += (random() < 0.5 ? -10 : 10) * natural;
    if (options.shift && at >= options.shift.at) value += options.shift.by;
    out[i] = { at, value: Math.round(value * 1e5) / 1e5 };
  }
  return out;
}

export interface LvmOptions {
  /** one or more channels with the same instants (the first channel's) */
  channels: { name: string; unit?: string; samples: readonly SeriesSample[] }[];
  zone: string;
  decimal?: '.' | ',';
  /** extra data lines appended as they are (bad rows, a truncated line) */
  trailer?: string[];
}

/**
 * An .lvm with one segment, relative X in seconds from the segment's plant-local Date/Time (tab
 * separated), as LabVIEW's "Write To Measurement File" writes it.
 */
export function lvmText(options: LvmOptions): string {
  const decimal = options.decimal ?? '.';
  const first = options.channels[0].samples;
  const start = first[0].at;
  const local = DateTime.fromMillis(start, { zone: options.zone });
  const date = local.toFormat('yyyy/MM/dd');
  const time = local.toFormat('HH:mm:ss') + `${decimal}${local.toFormat('SSS')}`;
  const number = (value: number, digits: number) => (decimal === ',' ? value.toFixed(digits).replace('.', ',') : value.toFixed(digits));
  const perChannel = (value: string) => options.channels.map(() => value).join('\t');
  const lines = [
    'LabVIEW Measurement\t',
    'Writer_Version\t2',
    'Reader_Version\t2',
    'Separator\tTab',
    `Decimal_Separator\t${decimal}`,
    'Multi_Headings\tNo',
    'X_Columns\tOne',
    'Time_Pref\tRelative',
    'Operator\tqmfg',
    `Date\t${date}`,
    `Time\t${time}`,
    '***End_of_Header***\t',
    '\t',
    `Channels\t${options.channels.length}\t`,
    `Samples\t${perChannel(String(first.length))}\t`,
    `Date\t${perChannel(date)}\t`,
    `Time\t${perChannel(time)}\t`,
    `Y_Unit_Label\t${options.channels.map((c) => c.unit ?? 'mm').join('\t')}\t`,
    `X_Dimension\t${perChannel('Time')}\t`,
    `X0\t${perChannel(number(0, 16))}\t`,
    `Delta_X\t${perChannel(first.length > 1 ? number((first[1].at - start) / 1000, 6) : number(1, 6))}\t`,
    '***End_of_Header***\t',
    `X_Value\t${options.channels.map((c) => c.name).join('\t')}\tComment`,
  ];
  const rows = new Array<string>(first.length);
  for (let i = 0; i < first.length; i++) {
    let row = number((first[i].at - start) / 1000, 3);
    for (const channel of options.channels) row += `\t${number(channel.samples[i].value, 5)}`;
    rows[i] = row;
  }
  return `${lines.join('\n')}\n${rows.join('\n')}\n${(options.trailer ?? []).map((line) => `${line}\n`).join('')}`;
}
