import {
  UpstreamBadRequestError,
  UpstreamNotFoundError,
  UpstreamUnavailableError,
  type GatewayError,
  type GatewayErrorOptions,
} from '../../core/errors.js';
import { errorForStatus } from '../http/status-errors.js';

/**
 * Every Argus endpoint answers in one envelope: `{responseCode, limit, offset, count, size,
 * metaData, messages, data}`. `count` is the number of matches (0 when the endpoint does not
 * count, -1 when counting timed out), `size` the items in this page. Errors come in the same
 * envelope, with `messages` saying why; a FIELD_ERROR names the request field at fault.
 */

export interface ArgusMessage {
  message: string;
  type?: string;
  field?: string;
  messageTemplate?: string;
  parameter?: Record<string, unknown>;
  timestamp?: number;
}

export interface ArgusEnvelope<T = unknown> {
  responseCode: number;
  limit: number;
  offset: number;
  count: number;
  size: number;
  metaData: Record<string, unknown>;
  messages: ArgusMessage[];
  data: T;
}

/** Parses an envelope; undefined when the text is not one (a proxy's HTML page, say). */
export function parseEnvelope(text: string): ArgusEnvelope | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const raw = body as Record<string, unknown>;
  if (!('data' in raw) && !('messages' in raw) && !('responseCode' in raw)) return undefined;
  return {
    responseCode: numberOr(raw.responseCode, 0),
    limit: numberOr(raw.limit, 0),
    offset: numberOr(raw.offset, 0),
    count: numberOr(raw.count, 0),
    size: numberOr(raw.size, 0),
    metaData: isRecord(raw.metaData) ? raw.metaData : {},
    messages: Array.isArray(raw.messages) ? raw.messages.filter(isRecord).map(toMessage) : [],
    data: raw.data ?? null,
  };
}

/** The data of a successful answer; an answer without the envelope is the upstream's fault. */
export function unwrap(source: string, text: string): ArgusEnvelope {
  const envelope = parseEnvelope(text);
  if (!envelope) throw new UpstreamUnavailableError(`${source} answered without the Argus envelope`, { source, upstreamStatus: 200 });
  return envelope;
}

/** As the Argus SDK shows them: `FIELD_ERROR (field): message`, other types `TYPE: message`. */
export function formatMessages(messages: readonly ArgusMessage[]): string | undefined {
  if (messages.length === 0) return undefined;
  return messages
    .map((message) => {
      const type = message.type ?? 'ERROR';
      return message.field ? `${type} (${message.field}): ${message.message}` : `${type}: ${message.message}`;
    })
    .join('; ');
}

/**
 * A refusal from Argus with its messages kept, so callers can tell which field (or which submitted
 * record) was at fault. Argus validates with HTTP 412, not 400.
 */
export class ArgusRequestError extends UpstreamBadRequestError {
  constructor(
    message: string,
    readonly messages: readonly ArgusMessage[],
    options: GatewayErrorOptions,
  ) {
    super(message, options);
  }

  /** The fields named by FIELD_ERROR messages, in order. */
  fields(): string[] {
    return this.messages.filter((message) => message.field).map((message) => message.field!);
  }
}

/** How long Argus asks the gateway to wait: 402 answers carry `metaData.millisUntilResourcesAvailable`. */
export function argusRetryAfterMs(status: number, _headers: Readonly<Record<string, string>>, body: string): number | undefined {
  if (status !== 402) return undefined;
  const wait = parseEnvelope(body)?.metaData.millisUntilResourcesAvailable;
  return typeof wait === 'number' && Number.isFinite(wait) && wait >= 0 ? Math.ceil(wait) : undefined;
}

/**
 * Argus statuses in the gateway's codes: 412 (and 400, 422) UPSTREAM_BAD_REQUEST naming the
 * field, 401 and 403 UPSTREAM_AUTH_FAILED, 404 UPSTREAM_NOT_FOUND, 402 UPSTREAM_RATE_LIMITED with
 * the wait Argus gave, 5xx UPSTREAM_UNAVAILABLE. The messages become the error's detail.
 */
export function argusErrorFor(source: string) {
  return (status: number, body: string, retryAfterMs: number | undefined): GatewayError => {
    const envelope = parseEnvelope(body);
    const detail = envelope ? formatMessages(envelope.messages) : snippet(body);
    const why = detail ? `: ${detail}` : '';
    const options = { source, upstreamStatus: status };
    if (status === 400 || status === 412 || status === 422) {
      const messages = envelope?.messages ?? [];
      const field = messages.find((message) => message.field)?.field;
      return new ArgusRequestError(`${source} refused the request (HTTP ${status})${why}`, messages, { ...options, ...(field ? { field } : {}) });
    }
    if (status === 404) return new UpstreamNotFoundError(`${source} has no such descriptor or resource (HTTP 404)${why}`, options);
    if (status === 402) return errorForStatus(source, status, detail ?? 'its resources for this key are used up', retryAfterMs);
    return errorForStatus(source, status, detail, retryAfterMs);
  };
}

/**
 * Argus names fields of its own request body (`startTimestamp`, `values[0].valueAsWeight`); the
 * client knows the gateway's arguments (`from`, `weightBy`). Re-labels a refusal's field for the
 * operation that sent it, keeping Argus's name in the message.
 */
export function relabelField(error: unknown, toGatewayField: (argusField: string) => string): unknown {
  if (!(error instanceof ArgusRequestError) || error.field === undefined) return error;
  return new ArgusRequestError(error.message, error.messages, {
    source: error.source,
    upstreamStatus: error.upstreamStatus,
    field: toGatewayField(error.field),
    cause: error,
  });
}

function toMessage(raw: Record<string, unknown>): ArgusMessage {
  const message: ArgusMessage = { message: typeof raw.message === 'string' ? raw.message : String(raw.message ?? '') };
  if (typeof raw.type === 'string') message.type = raw.type;
  if (typeof raw.field === 'string' && raw.field !== '') message.field = raw.field;
  if (typeof raw.messageTemplate === 'string') message.messageTemplate = raw.messageTemplate;
  if (isRecord(raw.parameter)) message.parameter = raw.parameter;
  if (typeof raw.timestamp === 'number') message.timestamp = raw.timestamp;
  return message;
}

function snippet(text: string): string | undefined {
  const trimmed = text.trim().replace(/\s+/g, ' ');
  return trimmed === '' ? undefined : trimmed.slice(0, 200);
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
