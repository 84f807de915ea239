import { packMetricData, unpackMetricData } from './darktrace/packed-metric-data.js';
import { parseMetricData } from './darktrace/response.js';

/**
 * Answers the upstream thread reads before handing them over, named in an exchange's `decode`.
 * `JSON.parse` of a /metricdata answer makes an object and a time string per point, all of it
 * garbage a moment later; on the upstream thread, that work leaves the thread serving clients.
 * A decoder that throws hands the text over instead, and the source reads it on the gateway's
 * thread, with its own error for a malformed answer.
 */
export interface ThreadDecoder<T> {
  /** On the upstream thread: the text read, and the buffers to move with it. */
  decode(text: string): { value: unknown; transfer: ArrayBuffer[] };
  /** On the gateway's thread: what `decode` handed over, made whole. */
  unpack(value: unknown): T;
}

export const THREAD_DECODERS = {
  'darktrace.metricdata': {
    // The source id is only for error messages, and an error hands the text over.
    decode: (text) => packMetricData(parseMetricData('darktrace', JSON.parse(text))),
    unpack: (value) => unpackMetricData(value as Parameters<typeof unpackMetricData>[0]),
  } satisfies ThreadDecoder<ReturnType<typeof unpackMetricData>>,
};

export type DecoderName = keyof typeof THREAD_DECODERS;

export function isDecoderName(name: string): name is DecoderName {
  return Object.hasOwn(THREAD_DECODERS, name);
}
