// Test and bench support: planners moving their own lots between two machines' queues at once
// (append, insert at the head, drop at a position), through the API, for a bounded time.
import type { TestApp } from './app.js';

export interface MoversResult {
  moves: number;
  seconds: number;
  failures: string[];
  lots: string[];
}

export async function runMovers(t: TestApp, options: { movers: number; seconds: number; machines?: string[]; product?: string }): Promise<MoversResult> {
  const machines = options.machines ?? ['line7', 'line8'];
  const lots = Array.from({ length: options.movers }, (_, i) => `MV${String(i).padStart(2, '0')}`);
  for (const lot of lots) {
    const res = await t.app.inject({ method: 'POST', url: '/api/work-orders', payload: { lot, product: options.product ?? 'strep-a-plus', quantity: 5_000, due: null } });
    if (res.statusCode !== 201) throw new Error(`creating ${lot}: ${res.statusCode} ${res.body}`);
  }
  const modes = ['append', 'insert', 'position'] as const;
  const failures: string[] = [];
  let moves = 0;
  const started = Date.now();
  const deadline = started + options.seconds * 1000;
  const mover = async (lot: string, index: number) => {
    // bounded in time and in count
    for (let i = 0; i < 100_000 && Date.now() < deadline; i++) {
      const mode = modes[(i + index) % modes.length]!;
      const machine = machines[(i + index) % machines.length]!;
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/work-orders/${lot}/operations/0/load`,
        payload: { machine, mode, ...(mode === 'position' ? { position: (i * 7 + index) % 6 } : {}) },
      });
      if (res.statusCode === 200) moves++;
      else failures.push(`${lot} ${mode} ${machine}: ${res.statusCode} ${res.body.slice(0, 200)}`);
    }
  };
  await Promise.all(lots.map(mover));
  return { moves, seconds: (Date.now() - started) / 1000, failures, lots };
}
