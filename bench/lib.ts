// Shared shape of a benchmark figure: every bench file default-exports a function returning these.
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** target the figure must stay under */
  target: number;
}

export async function timeIt<T>(fn: () => T | Promise<T>): Promise<{ ms: number; result: T }> {
  const start = process.hrtime.bigint();
  const result = await fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, result };
}

/** Runs fn `runs` times after `warmup` runs and returns the median and p95 in ms. */
export async function sample(fn: () => unknown, runs = 20, warmup = 3): Promise<{ median: number; p95: number; min: number }> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push((await timeIt(fn)).ms);
  times.sort((a, b) => a - b);
  return {
    median: times[Math.floor(times.length / 2)],
    p95: times[Math.min(times.length - 1, Math.ceil(times.length * 0.95) - 1)],
    min: times[0],
  };
}

/**
 * Runs the functions in turn `runs` times (after `warmup` rounds) and returns each one's median and
 * p95 in ms: a figure and its baseline measured side by side share the noise of a busy machine.
 */
export async function alternate(fns: readonly (() => unknown)[], runs = 15, warmup = 2): Promise<{ median: number; p95: number; min: number }[]> {
  for (let i = 0; i < warmup; i++) for (const fn of fns) await fn();
  const times: number[][] = fns.map(() => []);
  for (let i = 0; i < runs; i++) for (const [k, fn] of fns.entries()) times[k].push((await timeIt(fn)).ms);
  return times.map((list) => {
    list.sort((a, b) => a - b);
    return { median: list[Math.floor(list.length / 2)], p95: list[Math.min(list.length - 1, Math.ceil(list.length * 0.95) - 1)], min: list[0] };
  });
}
