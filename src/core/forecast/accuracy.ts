// Accuracy of recorded forecasts once lots finished: each method's mean absolute error per machine
// and product, over every forecast recorded for the finished operations (a forecast without an end,
// e.g. observed with no units in its window, is left out of that method's mean).
export interface FinishedForecasts {
  machine: string;
  product: string;
  lot: string;
  actualEnd: number;
  forecasts: readonly { standardEnd: number | null; observedEnd: number | null; forecastEnd: number }[];
}

export interface AccuracyRow {
  machine: string;
  product: string;
  lots: number;
  forecasts: number;
  /** mean absolute error in minutes; null when no forecast of that method had an end */
  standardMinutes: number | null;
  observedMinutes: number | null;
  recommendedMinutes: number | null;
}

export function accuracyReport(items: readonly FinishedForecasts[]): AccuracyRow[] {
  const groups = new Map<string, { machine: string; product: string; lots: Set<string>; forecasts: number; sums: number[]; counts: number[] }>();
  for (const item of items) {
    if (item.forecasts.length === 0) continue;
    const key = `${item.machine}\u0000${item.product}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { machine: item.machine, product: item.product, lots: new Set(), forecasts: 0, sums: [0, 0, 0], counts: [0, 0, 0] }));
    group.lots.add(item.lot);
    for (const forecast of item.forecasts) {
      group.forecasts++;
      [forecast.standardEnd, forecast.observedEnd, forecast.forecastEnd].forEach((end, index) => {
        if (end === null) return;
        group.sums[index] += Math.abs(end - item.actualEnd);
        group.counts[index]++;
      });
    }
  }
  const mean = (sum: number, count: number) => (count === 0 ? null : Math.round((sum / count / 60_000) * 10) / 10);
  return [...groups.values()]
    .map((group) => ({
      machine: group.machine,
      product: group.product,
      lots: group.lots.size,
      forecasts: group.forecasts,
      standardMinutes: mean(group.sums[0], group.counts[0]),
      observedMinutes: mean(group.sums[1], group.counts[1]),
      recommendedMinutes: mean(group.sums[2], group.counts[2]),
    }))
    .sort((a, b) => (a.machine === b.machine ? (a.product < b.product ? -1 : 1) : a.machine < b.machine ? -1 : 1));
}
