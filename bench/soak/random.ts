// A seeded generator (mulberry32), so that a soak's choices (who rejects, who cancels, which
// decision) can be replayed with `--seed`.
export type Random = {
  /** Uniform in [0, 1). */
  next(): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** Uniform whole number in [min, max]. */
  between(min: number, max: number): number;
  /** One of `items`, each with its weight. */
  weighted<T>(items: readonly (readonly [T, number])[]): T;
};

/** mulberry32: uniform numbers in [0, 1) from a 32-bit seed; tiny and reproducible (the race
 * tests use it too). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

export function seeded(seed: number): Random {
  const next = mulberry32(seed);
  return {
    next,
    chance: (p) => next() < p,
    between: (min, max) => min + Math.floor(next() * (max - min + 1)),
    weighted(items) {
      const total = items.reduce((s, [, w]) => s + w, 0);
      let pick = next() * total;
      for (const [item, w] of items) if ((pick -= w) < 0) return item;
      return items.at(-1)![0];
    },
  };
}
