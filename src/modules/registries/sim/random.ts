// Deterministic randomness for the registry simulator: every draw is a function of (seed, stream, index), so a
// person or a business is made again, the same, from its number alone — nothing is kept in memory.

/** A 32-bit hash of a string (cyrb53's mixing, folded to 32 bits). */
function hash32(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h1 ^ h2) >>> 0;
}

/** A stream of draws for one thing (mulberry32 seeded by the hash of its name). */
export interface Draws {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  /** One of `items`, uniformly. */
  pick<T>(items: readonly T[]): T;
  /** One of `items` by weight. */
  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T;
  /** True with probability `p`. */
  chance(p: number): boolean;
}

export function draws(seed: number, stream: string, index: number): Draws {
  let state = hash32(`${seed}:${stream}:${index}`);
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    weighted: (items) => {
      const total = items.reduce((s, [, w]) => s + w, 0);
      let r = next() * total;
      for (const [item, w] of items) {
        r -= w;
        if (r < 0) return item;
      }
      return items[items.length - 1]![0];
    },
    chance: (p) => next() < p,
  };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function modInverse(a: number, m: number): number {
  // Extended Euclid on BigInt: a·x ≡ 1 (mod m).
  let [oldR, r] = [BigInt(a), BigInt(m)];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return Number(((oldS % BigInt(m)) + BigInt(m)) % BigInt(m));
}

/**
 * A bijection of [0, size) chosen by the seed (an affine map x → a·x + b mod size): serial numbers that look
 * scattered, and from which the index is found again without a table.
 */
export function permutation(seed: number, stream: string, size: number): { forward(x: number): number; inverse(y: number): number } {
  const d = draws(seed, `perm:${stream}`, 0);
  let a = d.int(size / 10, size - 1);
  while (gcd(a, size) !== 1) a++;
  const b = d.int(0, size - 1);
  const aInv = modInverse(a, size);
  const mul = (x: number, y: number) => Number((BigInt(x) * BigInt(y)) % BigInt(size));
  return {
    forward: (x) => (mul(a, x) + b) % size,
    inverse: (y) => mul(aInv, (((y - b) % size) + size) % size),
  };
}
