import { LRUCache } from 'lru-cache';
import type { SeriesAnswer } from '../sources/source.js';

export interface DecodedAnswersOptions {
  /** @default 2000 */
  maxEntries?: number;
  /** Upper bound on the summed length of the cached texts the kept answers were parsed from. @default 32 MiB */
  maxChars?: number;
}

/**
 * Parsed answers kept in process, in front of the store: a dashboard asking the same panel every
 * few seconds from many screens would otherwise JSON.parse the same cached text on every request.
 * An entry is used only while the store still holds exactly the text it was parsed from, so a
 * refresh, an expiry or another instance's write (Redis) is seen at once; the store stays the
 * truth and this only saves the parse. Answers are shared between requests and never modified
 * (readers copy before they change a series: see the stream hub and the resolvers' trim).
 */
export class DecodedAnswers {
  readonly #lru: LRUCache<string, { text: string; answer: SeriesAnswer }>;

  constructor(options: DecodedAnswersOptions = {}) {
    this.#lru = new LRUCache({
      max: options.maxEntries ?? 2000,
      maxSize: options.maxChars ?? 32 * 1024 * 1024,
      sizeCalculation: (entry) => Math.max(1, entry.text.length),
    });
  }

  /** The answer `text` (the store's value for `key`) holds, parsed once per distinct text. */
  decode(key: string, text: string, parse: (text: string) => SeriesAnswer): SeriesAnswer {
    const kept = this.#lru.get(key);
    // The memory store hands back the very same string, so this is usually a pointer compare.
    if (kept && kept.text === text) return kept.answer;
    const answer = parse(text);
    this.#lru.set(key, { text, answer });
    return answer;
  }
}
