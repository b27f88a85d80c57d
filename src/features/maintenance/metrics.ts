// The metrics the comparative analysis can put on its axes: a registry of machine performance per
// bucket (from the OEE feature's series) and, when the caller plugs a source in, channel statistics
// `channel:<key>:mean|sd`. Channel metrics come in through a function parameter so this feature does
// not import the measurements feature (it may sit beside it, not below it).
import type { Executor } from '../../db/database.js';
import { Invalid } from '../../core/errors.js';
import type { OeeBucket } from '../oee/schemas.js';

export interface MetricView {
  metric: string;
  label: string;
  unit: string;
}

/** Per-bucket values of a channel statistic, aligned with `buckets`; null when the channel is unknown. */
export type ChannelMetricSource = (db: Executor, machine: string, channel: string, statistic: 'mean' | 'sd', buckets: readonly { from: number; to: number }[]) => Promise<(number | null)[] | null>;

interface MachineMetric extends MetricView {
  description: string;
  of(bucket: OeeBucket): number | null;
}

const perHour = (count: number, runSeconds: number) => (runSeconds >= 60 ? count / (runSeconds / 3600) : null);

/** The built-in machine metrics, from one OEE bucket each. */
export const MACHINE_METRICS: readonly MachineMetric[] = Object.freeze([
  { metric: 'rate', label: 'rate while running', unit: 'cycles/min', description: 'cycles per minute of running time (stops excluded)', of: (b) => b.averageRatePerMinute },
  {
    metric: 'micro-stops',
    label: 'micro-stops per running hour',
    unit: '1/h',
    description: "stops of the profile's first class (e.g. 1.1–12 s) per hour of running time",
    of: (b) => perHour(b.stops.classes[0]?.count ?? 0, b.runSeconds),
  },
  { metric: 'stops', label: 'stops per running hour', unit: '1/h', description: 'stops of every class per hour of running time', of: (b) => perHour(b.stops.count, b.runSeconds) },
  { metric: 'rework-rate', label: 'rework rate', unit: 'ratio', description: 'reworked parts / parts', of: (b) => b.reworkRate },
  { metric: 'empty-rate', label: 'empty-pocket rate', unit: 'ratio', description: 'empty cycles / cycles', of: (b) => b.emptyRate },
  { metric: 'availability', label: 'availability', unit: 'ratio', description: "OEE availability of the machine's profile", of: (b) => b.availability },
]);

const CHANNEL_METRIC = /^channel:([a-z0-9][a-z0-9._-]{0,63}):(mean|sd)$/;

export interface ResolvedMetric {
  view: MetricView;
  values(db: Executor, series: readonly (OeeBucket & { fromMs: number; toMs: number })[], machine: string): Promise<(number | null)[]>;
}

export interface MetricRegistry {
  list(): (MetricView & { description: string })[];
  /** the metric named `key`, or a 400 on `path` saying which metrics exist */
  resolve(key: string, path: string): ResolvedMetric;
}

export function metricRegistry(channels?: ChannelMetricSource): MetricRegistry {
  const known = MACHINE_METRICS.map((m) => m.metric).join(', ');
  return {
    list: () => [
      ...MACHINE_METRICS.map(({ metric, label, unit, description }) => ({ metric, label, unit, description })),
      ...(channels ? [{ metric: 'channel:<key>:mean', label: 'channel mean', unit: 'channel unit', description: "a measurement channel's mean per bucket (also :sd)" }] : []),
    ],
    resolve(key, path) {
      const builtin = MACHINE_METRICS.find((m) => m.metric === key);
      if (builtin) return { view: { metric: builtin.metric, label: builtin.label, unit: builtin.unit }, values: async (_db, series) => series.map((b) => builtin.of(b)) };
      const channel = CHANNEL_METRIC.exec(key);
      if (channel) {
        if (!channels) throw Invalid.field(path, `channel metrics are not available on this server; use one of ${known}`);
        const [, channelKey, statistic] = channel;
        return {
          view: { metric: key, label: `${channelKey} ${statistic === 'mean' ? 'mean' : 'standard deviation'}`, unit: 'channel unit' },
          async values(db, series, machine) {
            const values = await channels(db, machine, channelKey, statistic as 'mean' | 'sd', series.map((b) => ({ from: b.fromMs, to: b.toMs })));
            if (values === null) throw Invalid.field(path, `unknown channel '${channelKey}'`);
            return values;
          },
        };
      }
      throw Invalid.field(path, `unknown metric '${key}': use one of ${known}${channels ? ' or channel:<key>:mean|sd' : ''}`);
    },
  };
}
