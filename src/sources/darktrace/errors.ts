import { UpstreamAuthFailedError, type GatewayError } from '../../core/errors.js';

/**
 * What Darktrace error answers mean. The portal guide documents 400 `{"error":"INPUT ERROR"}`
 * (sometimes with a `response` text), 401 for a bad signature, token or date, and 403 when the
 * token's user lacks a permission. SDK users also see 400 with `API SIGNATURE ERROR` when the
 * signed and sent query differ, which is an authentication failure, not bad input. Everything
 * else (404, 422, 429, 5xx) keeps the gateway's default translation.
 */

const SIGNATURE_ERROR = /API SIGNATURE ERROR/i;

/** The `error` and `response` texts of a Darktrace error body, when it has them. */
export function describeDarktraceError(_status: number, body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    const text = body.trim().replace(/\s+/g, ' ');
    return text === '' ? undefined : text.slice(0, 200);
  }
  if (parsed === null || typeof parsed !== 'object') return undefined;
  const { error, response } = parsed as { error?: unknown; response?: unknown };
  const parts = [error, response].filter((part): part is string => typeof part === 'string' && part.trim() !== '');
  return parts.length > 0 ? parts.join(': ').slice(0, 200) : undefined;
}

export function darktraceErrorFor(source: string) {
  return (status: number, body: string): GatewayError | undefined => {
    const options = { source, upstreamStatus: status };
    if ((status === 400 || status === 401) && SIGNATURE_ERROR.test(body)) {
      return new UpstreamAuthFailedError(
        `${source} rejected the request signature (HTTP ${status}: API SIGNATURE ERROR); check publicToken and privateToken, ` +
          `and that this machine's clock is within 30 minutes of the appliance's`,
        options,
      );
    }
    if (status === 401) {
      const why = describeDarktraceError(status, body);
      return new UpstreamAuthFailedError(
        `${source} rejected the API token, signature or date (HTTP 401${why ? `: ${why}` : ''}); check publicToken, privateToken and the clock`,
        options,
      );
    }
    if (status === 403) {
      return new UpstreamAuthFailedError(
        `${source} denied access (HTTP 403): the API token's user lacks a permission (/metricdata needs Visualizer; ` +
          `/metrics needs Visualizer, View Models or Edit Models)`,
        options,
      );
    }
    return undefined;
  };
}
