// Live updates under load (issue 12 bench targets), with the real parts:
// (a) MQTT message → browser DOM update at 8 machines × 140 cycles/min (bench/live-dom.ts),
// (b) 200 concurrent SSE clients on one process (bench/live-sse.ts),
// (c) `qmfg serve` + `qmfg simulate` over 19 machines: CPU as % of one core (bench/live-cpu.ts).
// QMFG_BENCH_LIVE=a,c runs only those parts (default all); QMFG_BENCH_PROFILE=<dir> writes V8 CPU
// profiles of the qmfg processes (a, c) there. Progress and diagnostics go to stderr.
import type { Figure } from './lib.js';
import { cpuBench } from './live-cpu.js';
import { domBench } from './live-dom.js';
import { sseBench } from './live-sse.js';

export default async function liveBench(): Promise<Figure[]> {
  const parts = new Set((process.env.QMFG_BENCH_LIVE ?? 'a,b,c').split(',').map((p) => p.trim()));
  const figures: Figure[] = [];
  if (parts.has('a')) figures.push(...(await domBench()));
  if (parts.has('b')) figures.push(...(await sseBench()));
  if (parts.has('c')) figures.push(...(await cpuBench()));
  return figures;
}
