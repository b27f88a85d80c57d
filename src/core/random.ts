// Deterministic randomness for the generator and the simulator: the same seed, the same stream.

/** How far mulberry32's state moves per draw. */
export const MULBERRY_STEP = 0x6d2b79f5;

/** mulberry32's output for a state already moved by MULBERRY_STEP: a uniform number in [0, 1). */
export function mulberryMix(state: number): number {
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** mulberry32: a small, fast seeded PRNG; returns uniform numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + MULBERRY_STEP) >>> 0;
    return mulberryMix(state);
  };
}

/** FNV-1a over the parts' text, finished with a murmur3 mix: a stable 32-bit key for a random stream. */
export function hashOf(...parts: (string | number)[]): number {
  let hash = 0x811c9dc5;
  const text = parts.join('\u0001');
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}
