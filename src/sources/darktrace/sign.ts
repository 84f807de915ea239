import { createHmac } from 'node:crypto';

/**
 * Darktrace API request signing. Every request carries three headers: DTAPI-Token (the public
 * token), DTAPI-Date (UTC, `YYYY-MM-DD HH:MM:SS`; the appliance allows ±30 minutes of clock
 * skew) and DTAPI-Signature: the lowercase hex HMAC-SHA1, keyed with the private token, of
 *
 *     <path and query> "\n" <public token> "\n" <DTAPI-Date>
 *
 * Why the query is signed decoded: the appliance decodes the query string it receives and checks
 * the signature against the decoded text, in the order the parameters arrived. Both production
 * clients (the Python SDK and the Splunk connector) sign the plain `k=v` text and let their HTTP
 * library percent-encode it on the wire, and the portal guide says to "sign unencoded, send
 * encoded". So the gateway signs the decoded form of exactly what it sends, in the order sent,
 * and signs again on every attempt (a retry gets a fresh date).
 */

export interface DarktraceCredentials {
  publicToken: string;
  privateToken: string;
}

export const DTAPI_TOKEN = 'DTAPI-Token';
export const DTAPI_DATE = 'DTAPI-Date';
export const DTAPI_SIGNATURE = 'DTAPI-Signature';

/** The last DTAPI-Date made: every call of a busy second carries the same text, formatted once. */
let lastDate = { second: NaN, text: '' };

/** The DTAPI-Date value for an instant: UTC, seconds precision, as the SDK sends it. */
export function dtapiDate(at: Date): string {
  const second = Math.floor(at.getTime() / 1000);
  if (second !== lastDate.second) lastDate = { second, text: at.toISOString().slice(0, 19).replace('T', ' ') };
  return lastDate.text;
}

/**
 * The path and query as the appliance reads them: the path as sent, the query percent-decoded
 * (`+` is a space) with its parameters in the order sent.
 */
export function signedPathOf(sentPath: string): string {
  const mark = sentPath.indexOf('?');
  if (mark < 0) return sentPath;
  const query = sentPath.slice(mark + 1);
  return `${sentPath.slice(0, mark)}?${decodeURIComponent(query.replace(/\+/g, ' '))}`;
}

/** HMAC-SHA1 over `signedPath \n publicToken \n date`, lowercase hex. */
export function signature(credentials: DarktraceCredentials, signedPath: string, date: string): string {
  return createHmac('sha1', credentials.privateToken)
    .update(`${signedPath}\n${credentials.publicToken}\n${date}`)
    .digest('hex');
}

/** The three auth headers for one attempt at sending `sentPath` (as it goes on the wire). */
export function signedHeaders(credentials: DarktraceCredentials, sentPath: string, now: Date = new Date()): Record<string, string> {
  const date = dtapiDate(now);
  return {
    [DTAPI_TOKEN]: credentials.publicToken,
    [DTAPI_DATE]: date,
    [DTAPI_SIGNATURE]: signature(credentials, signedPathOf(sentPath), date),
  };
}
