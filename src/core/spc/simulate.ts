// Seeded normal draws for the false-alarm simulations (bench/spc.bench.ts, simulate.test.ts).
import { mulberry32 } from '../random.js';

/** Standard normal numbers from a seeded mulberry32 stream (Box–Muller, both halves used). */
export function normalStream(seed: number): () => number {
  const uniform = mulberry32(seed);
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const value = spare;
      spare = null;
      return value;
    }
    let u = uniform();
    while (u === 0) u = uniform();
    const radius = Math.sqrt(-2 * Math.log(u));
    const angle = 2 * Math.PI * uniform();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
}
