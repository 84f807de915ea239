import type { Series } from '../core/series.js';
import type { SeriesAnswer, SourceWarning } from '../sources/source.js';

/**
 * An answer as the query cache hands it out: the series, their warnings, and until when this copy
 * may be served. The whole-response cache (src/cache/response-cache.ts) keeps a response no longer
 * than the earliest `freshUntil` of the answers it was built from. Absent: not from the cache (an
 * uncacheable source, or a stale copy standing in for a failure), so nothing built on it is kept.
 */
export type CachedAnswer = SeriesAnswer & { freshUntil?: number };

/**
 * Stored form: `<freshUntil ms>\n<JSON>`, the JSON being the series array, or `{series, warnings}`
 * when the upstream warned, so a cached answer brings its warnings along (JSON drops properties of
 * arrays). JSON text never holds a raw newline, so the first one ends the header.
 */
export function encodeAnswer(answer: SeriesAnswer, freshUntil: number): string {
  return `${freshUntil}\n${JSON.stringify(answer.warnings?.length ? { series: [...answer], warnings: answer.warnings } : answer)}`;
}

export function decodeAnswer(text: string): CachedAnswer {
  const header = text.indexOf('\n');
  const parsed = JSON.parse(header < 0 ? text : text.slice(header + 1)) as Series[] | { series: Series[]; warnings: SourceWarning[] };
  const answer: CachedAnswer = Array.isArray(parsed) ? parsed : Object.assign(parsed.series, { warnings: parsed.warnings });
  // An entry without the header (written by an older version) is served, but builds nothing kept longer.
  const freshUntil = header < 0 ? NaN : Number(text.slice(0, header));
  if (Number.isFinite(freshUntil)) answer.freshUntil = freshUntil;
  return answer;
}
