import { parseMetricData } from './darktrace/response.js';

/**
 * Answers the upstream thread reads into their final form before handing them over, named in an
 * exchange's `decode`. `JSON.parse` of a /metricdata answer makes an object and a time string per
 * point, all of it garbage a moment later; read into columns on the upstream thread, what crosses
 * is four short arrays per metric. A decoder that throws hands the text over instead, and the
 * adapter reads it on its own thread, with its own error for a malformed answer.
 */
export const THREAD_DECODERS: Readonly<Record<string, (text: string) => unknown>> = {
  'darktrace.metricdata': (text) => parseMetricData('darktrace', JSON.parse(text)),
};
