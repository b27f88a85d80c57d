// Is the server still answering while something heavy runs? Asks /api/health every 10 ms over real
// HTTP for as long as `work` runs, and tells the slowest answer: the figure the hardening tests and the
// load bench bound (health < 100 ms under the heaviest allowed request).

export interface HealthWhile<T> {
  result: T;
  /** how long `work` took, ms */
  ms: number;
  /** the slowest health answer, ms */
  worstMs: number;
  probes: number;
  /** health answers that were not 200 */
  failedProbes: number;
}

export async function healthWhile<T>(base: string, work: () => Promise<T>): Promise<HealthWhile<T>> {
  let running = true;
  let worstMs = 0;
  let probes = 0;
  let failedProbes = 0;
  const probe = (async () => {
    while (running) {
      const started = performance.now();
      const res = await fetch(`${base}/api/health`);
      await res.arrayBuffer();
      if (res.status !== 200) failedProbes++;
      worstMs = Math.max(worstMs, performance.now() - started);
      probes++;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  const started = performance.now();
  try {
    const result = await work();
    return { result, ms: performance.now() - started, worstMs, probes, failedProbes };
  } finally {
    running = false;
    await probe;
  }
}
