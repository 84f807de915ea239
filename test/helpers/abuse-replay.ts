import type { Readable } from 'node:stream';
import type { AbuseGateway } from './abuse-gateway.js';

/**
 * Replays one hostile HTTP request against an AbuseGateway and watches the process while it
 * runs: the answer (status, head and tail of the body, time), a /livez prober running alongside,
 * and the peak resident set. `abuseProblems` turns that into the list of properties broken.
 */
export interface AbuseRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'OPTIONS';
  /** Sent byte for byte: no normalisation of dot segments, slashes or percent-encoding. */
  path: string;
  headers?: Record<string, string>;
  /** The body, or a function building it (big bodies are built when replayed, not when listed). */
  body?: string | (() => string);
  /** Copies sent at once (e.g. a burst of wrong keys); each is judged. @default 1 */
  repeat?: number;
  /** A streaming answer (SSE): answered once the status and the first chunk arrive. */
  stream?: boolean;
  /**
   * The body is over the gateway's limit, so it may answer 413 and close the connection before
   * reading it all; the client then sees the connection close (EPIPE, reset) instead of the 413.
   */
  oversized?: boolean;
}

export interface ReplayLimits {
  /** Longest acceptable time to a complete answer: requestDeadlineMs + 1 s. */
  boundMs: number;
  /** Largest acceptable peak-RSS growth over the RSS before the case. */
  rssGrowthBoundBytes: number;
}

export interface Answer {
  status?: number;
  /** First and last bytes of the body (the middle of a huge answer is counted, not kept). */
  head: string;
  tail: string;
  bodyBytes: number;
  elapsedMs: number;
  /** Why no complete answer came (timeout, reset, refused). */
  error?: string;
  /** The gateway closed the connection on an oversized body before the client finished sending. */
  closedEarly?: boolean;
}

export interface ReplayOutcome {
  answers: Answer[];
  /** The first /livez probe sent after the case started: its answer time, or why it failed. */
  livez: { probes: number; firstAnswerMs?: number; slowestMs?: number; failure?: string };
  rssBeforeBytes: number;
  peakRssBytes: number;
  /** Set when the gateway process ended during the case. */
  exit?: string;
}

const HEAD_BYTES = 64 * 1024;
const TAIL_BYTES = 4 * 1024;
/** How long past the bound a request is still waited for, so the failure says how late it was. */
const GRACE_MS = 2_000;
/** Pause between /livez probes: enough to see a stall, without the prober loading the machine. */
const PROBE_PAUSE_MS = 20;
/** How long a failed case waits to see whether the process ended. */
const EXIT_NOTICE_MS = 1_000;
/** Copies of a repeated request in flight at once. */
const BURST = 50;

export async function replay(gateway: AbuseGateway, request: AbuseRequest, limits: ReplayLimits): Promise<ReplayOutcome> {
  const rssBeforeBytes = gateway.rssBytes();
  gateway.resetPeak();
  const body = typeof request.body === 'function' ? request.body() : request.body;
  let done = false;
  const started = performance.now();
  const sending = (async () => {
    const answers: Answer[] = [];
    const copies = request.repeat ?? 1;
    for (let sent = 0; sent < copies; sent += BURST) {
      const burst = Array.from({ length: Math.min(BURST, copies - sent) }, () => send(gateway, request, body, limits.boundMs + GRACE_MS));
      answers.push(...(await Promise.all(burst)));
    }
    return answers;
  })().finally(() => {
    done = true;
  });
  const livez = await probeLivez(gateway, limits.boundMs, () => done, started);
  const answers = await sending;
  const peakRssBytes = gateway.peakRssBytes();
  // A request that failed may be the first sign of a process that ended: wait for its exit to be seen.
  const failed = livez.failure !== undefined || answers.some((answer) => answer.error !== undefined);
  const exit = failed ? await gateway.exitWithin(EXIT_NOTICE_MS) : gateway.exit;
  return { answers, livez, rssBeforeBytes, peakRssBytes, exit };
}

/**
 * Asks /livez one probe after another from the moment the case is sent until the case has
 * answered and at least one probe has too. No race on timing: a probe sent while the case runs
 * and one sent just after it are held to the same bound, so a case that stalls the event loop
 * fails whether its own answer or the probe's comes first.
 */
async function probeLivez(gateway: AbuseGateway, boundMs: number, caseDone: () => boolean, started: number): Promise<ReplayOutcome['livez']> {
  const result: ReplayOutcome['livez'] = { probes: 0 };
  while (!caseDone() || result.firstAnswerMs === undefined) {
    const sent = performance.now();
    result.probes++;
    const answer = await send(gateway, { method: 'GET', path: '/livez' }, undefined, boundMs);
    if (answer.status !== 200) {
      result.failure = answer.error ?? `/livez answered ${answer.status}`;
      return result;
    }
    result.firstAnswerMs ??= performance.now() - started;
    result.slowestMs = Math.max(result.slowestMs ?? 0, performance.now() - sent);
    if (!caseDone()) await new Promise((resolve) => setTimeout(resolve, PROBE_PAUSE_MS));
  }
  return result;
}

async function send(gateway: AbuseGateway, request: AbuseRequest, body: string | undefined, waitMs: number): Promise<Answer> {
  const started = performance.now();
  const answer: Answer = { head: '', tail: '', bodyBytes: 0, elapsedMs: 0 };
  const signal = AbortSignal.timeout(waitMs);
  try {
    const response = await gateway.agent.request({
      origin: gateway.url,
      path: request.path,
      method: request.method,
      headers: request.headers ?? {},
      body,
      signal,
    });
    answer.status = response.statusCode;
    await readBounded(response.body, answer, request.stream === true);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (request.oversized && !signal.aborted && (code === 'EPIPE' || code === 'ECONNRESET' || code === 'UND_ERR_SOCKET')) answer.closedEarly = true;
    else answer.error = signal.aborted ? `no complete answer within ${waitMs} ms` : `${(error as Error).message}`;
  }
  answer.elapsedMs = performance.now() - started;
  return answer;
}

/** Keeps the head and tail of the body and counts the rest; a stream stops after its first chunk. */
async function readBounded(body: Readable, answer: Answer, stream: boolean): Promise<void> {
  let tail = Buffer.alloc(0);
  for await (const chunk of body as AsyncIterable<Buffer>) {
    if (answer.bodyBytes < HEAD_BYTES) answer.head += chunk.subarray(0, HEAD_BYTES - answer.bodyBytes).toString();
    answer.bodyBytes += chunk.length;
    tail = Buffer.concat([tail, chunk]).subarray(-TAIL_BYTES);
    if (stream) break;
  }
  if (stream) body.destroy();
  if (answer.bodyBytes > HEAD_BYTES) answer.tail = tail.toString();
}

/** Words the gateway's masked errors carry: an unplanned exception reached the client. */
const MASKED = /Unexpected error\.|INTERNAL_SERVER_ERROR/;
/** An error message longer than this echoes input untruncated. */
const MAX_MESSAGE_CHARS = 4_096;

/**
 * The properties every hostile request must keep, whatever the answer: an HTTP status below 500,
 * no masked error, a complete answer within the bound, /livez answering during the case, a
 * bounded peak RSS, no error message that echoes a whole input back. Empty = all kept.
 */
export function abuseProblems(outcome: ReplayOutcome, limits: ReplayLimits): string[] {
  const problems = new Set<string>();
  if (outcome.exit) problems.add(`the gateway process ended during the case (${outcome.exit})`);
  for (const answer of outcome.answers) {
    if (answer.error) problems.add(`no complete answer within ${limits.boundMs} ms (+${GRACE_MS} ms grace): ${answer.error}`);
    else if (answer.elapsedMs > limits.boundMs) problems.add(`answered after ${Math.round(answer.elapsedMs)} ms; the bound is ${limits.boundMs} ms`);
    if (answer.status !== undefined && answer.status >= 500) problems.add(`HTTP ${answer.status}: ${answer.head.slice(0, 300)}`);
    const masked = MASKED.exec(answer.head + answer.tail);
    if (masked) problems.add(`masked error '${masked[0]}': ${answer.head.slice(0, 300)}`);
    for (const message of errorMessages(answer)) {
      if (message.length > MAX_MESSAGE_CHARS) problems.add(`an error message of ${message.length} chars (echoed input?): ${message.slice(0, 200)}...`);
    }
  }
  const { livez } = outcome;
  if (livez.failure) problems.add(`/livez failed while the case ran: ${livez.failure}`);
  else if ((livez.slowestMs ?? 0) > limits.boundMs) {
    problems.add(`/livez took ${Math.round(livez.slowestMs!)} ms while the case ran; the bound is ${limits.boundMs} ms`);
  }
  const growth = outcome.peakRssBytes - outcome.rssBeforeBytes;
  if (outcome.peakRssBytes > 0 && outcome.rssBeforeBytes > 0 && growth > limits.rssGrowthBoundBytes) {
    problems.add(`peak RSS grew by ${mb(growth)} MB during the case; the bound is ${mb(limits.rssGrowthBoundBytes)} MB`);
  }
  return [...problems];
}

/** The GraphQL or problem+json error messages of a complete, parseable answer. */
export function errorMessages(answer: Answer): string[] {
  const json = parsed(answer);
  if (json === undefined) return [];
  const messages: string[] = [];
  if (Array.isArray(json.errors)) for (const error of json.errors) if (typeof error?.message === 'string') messages.push(error.message);
  for (const key of ['message', 'detail', 'error']) if (typeof json[key] === 'string') messages.push(json[key]);
  return messages;
}

/** The answer's JSON when it came whole and parses (SSE and huge answers do not). */
export function parsed(answer: Answer): any {
  if (answer.bodyBytes > HEAD_BYTES || answer.head === '') return undefined;
  try {
    return JSON.parse(answer.head);
  } catch {
    return undefined;
  }
}

/** A one-paragraph account of an outcome, for failure messages. */
export function describeOutcome(outcome: ReplayOutcome): string {
  const statuses = new Map<string, number>();
  for (const answer of outcome.answers) {
    const key = answer.closedEarly ? 'closed' : answer.status === undefined ? 'none' : String(answer.status);
    statuses.set(key, (statuses.get(key) ?? 0) + 1);
  }
  const first = outcome.answers[0]!;
  const slowest = Math.max(...outcome.answers.map((answer) => answer.elapsedMs));
  return [
    `statuses ${[...statuses].map(([status, count]) => `${status}x${count}`).join(' ')}; slowest ${Math.round(slowest)} ms`,
    `body ${first.bodyBytes} bytes: ${first.head.slice(0, 400)}`,
    `livez ${JSON.stringify(outcome.livez)}; RSS ${mb(outcome.rssBeforeBytes)} MB -> peak ${mb(outcome.peakRssBytes)} MB`,
  ].join('\n');
}

export function mb(bytes: number): number {
  return Math.round(bytes / 1024 / 102.4) / 10;
}
