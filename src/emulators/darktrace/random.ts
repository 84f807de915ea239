/**
 * Deterministic noise for the emulator: a value in [0, 1) from a seed and any list of parts
 * (metric, device, minute, ...). The same inputs give the same number in any order of calls, so
 * a bucket's value never depends on which window it was asked in. Integers are mixed in as two
 * 32-bit words (murmur3's block mix) and strings character by character; it runs for every
 * emulated sample, so it stays allocation-free.
 */
export function noise(seed: number, ...parts: ReadonlyArray<string | number>): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (const part of parts) {
    if (typeof part === 'number' && Number.isSafeInteger(part)) {
      h = mix(h, part >>> 0);
      h = mix(h, Math.floor(part / 4294967296) >>> 0);
    } else {
      const text = String(part);
      for (let i = 0; i < text.length; i++) h = mix(h, text.charCodeAt(i));
      h = mix(h, 0xff);
    }
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/** An integer in [min, max] from the same kind of inputs. */
export function pick(min: number, max: number, seed: number, ...parts: ReadonlyArray<string | number>): number {
  return min + Math.floor(noise(seed, ...parts) * (max - min + 1));
}

function mix(h: number, word: number): number {
  let k = Math.imul(word, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) >>> 0;
}
