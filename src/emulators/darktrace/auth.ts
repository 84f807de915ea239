import { createHmac, timingSafeEqual } from 'node:crypto';
import type { EmulatedRequest } from '../server.js';

/**
 * Checks DTAPI signatures the way the appliance does (research/upstreams.md §1.2, §1.6): the
 * private token is found by the public one; the signed text is the request path plus the query
 * *decoded* in the order received (`+` is a space), a newline, the public token, a newline and
 * the DTAPI-Date header. A signature over the raw, still-encoded query is accepted too (some
 * clients sign what they send byte for byte) and the log says which form matched. The date may
 * be `YYYY-MM-DD HH:MM:SS`, `YYYYMMDDTHHMMSS` or ISO-8601, in UTC, within 30 minutes of the
 * emulator's clock. A POST body is appended as the SDK signs it (`?body`, or `&body` after a query).
 */

export type Permission = 'visualizer' | 'models';

export interface EmulatedToken {
  publicToken: string;
  privateToken: string;
  /** @default ['visualizer', 'models'] */
  permissions?: Permission[];
}

export type SignatureCheck =
  | { ok: true; token: EmulatedToken; matched: 'decoded' | 'raw' }
  | { ok: false; reason: string };

export const MAX_SKEW_MS = 30 * 60_000;

export function checkSignature(request: EmulatedRequest, tokens: readonly EmulatedToken[], now: number): SignatureCheck {
  const publicToken = header(request, 'dtapi-token');
  const date = header(request, 'dtapi-date');
  const given = header(request, 'dtapi-signature');
  if (!publicToken || !date || !given) return { ok: false, reason: 'missing DTAPI-Token, DTAPI-Date or DTAPI-Signature' };

  const token = tokens.find((candidate) => candidate.publicToken === publicToken);
  if (!token) return { ok: false, reason: 'unknown public token' };

  const at = parseDtapiDate(date);
  if (at === undefined) return { ok: false, reason: `unreadable DTAPI-Date '${date}'` };
  if (Math.abs(at - now) > MAX_SKEW_MS) return { ok: false, reason: `DTAPI-Date '${date}' is more than 30 minutes from the appliance clock` };

  const mark = request.rawPath.indexOf('?');
  const path = mark < 0 ? request.rawPath : request.rawPath.slice(0, mark);
  const rawQuery = mark < 0 ? '' : request.rawPath.slice(mark + 1);
  const body = request.method === 'POST' && request.body !== '' ? request.body : '';
  const forms: Array<['decoded' | 'raw', string]> = [
    ['decoded', withBody(rawQuery === '' ? path : `${path}?${decodeQuery(rawQuery)}`, body)],
    ['raw', withBody(request.rawPath, body)],
  ];
  for (const [matched, signedPath] of forms) {
    const expected = createHmac('sha1', token.privateToken).update(`${signedPath}\n${publicToken}\n${date}`).digest('hex');
    if (expected.length === given.length && timingSafeEqual(Buffer.from(expected), Buffer.from(given.toLowerCase()))) {
      return { ok: true, token, matched };
    }
  }
  return { ok: false, reason: 'signature does not match the path and query as received' };
}

/** `a=1&b=x y` from `a=1&b=x+y` or `a=1&b=x%20y`; undecodable escapes stay as they are. */
export function decodeQuery(query: string): string {
  return query
    .split('&')
    .map((part) => {
      try {
        return decodeURIComponent(part.replace(/\+/g, ' '));
      } catch {
        return part;
      }
    })
    .join('&');
}

/** The forms appliances and clients use for DTAPI-Date; all UTC. */
export function parseDtapiDate(text: string): number | undefined {
  const plain = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text) ?? /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})$/.exec(text);
  let iso: string | undefined;
  if (plain) iso = `${plain[1]}-${plain[2]}-${plain[3]}T${plain[4]}:${plain[5]}:${plain[6]}Z`;
  else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text)) iso = text;
  if (!iso) return undefined;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : undefined;
}

export function hasPermission(token: EmulatedToken, path: string): boolean {
  const permissions = token.permissions ?? ['visualizer', 'models'];
  if (path === '/metricdata') return permissions.includes('visualizer');
  return permissions.length > 0;
}

function withBody(signedPath: string, body: string): string {
  if (body === '') return signedPath;
  return `${signedPath}${signedPath.includes('?') ? '&' : '?'}${body}`;
}

function header(request: EmulatedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
