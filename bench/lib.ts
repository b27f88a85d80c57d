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
