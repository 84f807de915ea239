import type { EmulatorReply } from '../server.js';

/**
 * The Argus result-set envelope on every answer, errors included: `responseCode` equals the HTTP
 * status, `count` is the number of matches, `size` the items in this page, and `messages` says
 * what went wrong. Validation failures are HTTP 412 with FIELD_ERROR messages naming the field.
 */

export interface Message {
  message: string;
  messageTemplate: string;
  type: 'FIELD_ERROR' | 'ACTION_ERROR' | 'WARNING';
  field: string | null;
  parameter: Record<string, unknown>;
  timestamp: number;
}

export function fieldError(field: string, message: string): Message {
  return { message, messageTemplate: message, type: 'FIELD_ERROR', field, parameter: {}, timestamp: Date.now() };
}

export function actionError(message: string): Message {
  return { message, messageTemplate: message, type: 'ACTION_ERROR', field: null, parameter: {}, timestamp: Date.now() };
}

export interface Page {
  limit?: number;
  offset?: number;
  count?: number;
  messages?: Message[];
  metaData?: Record<string, unknown>;
}

export function envelope(status: number, data: unknown, page: Page = {}): Record<string, unknown> {
  return {
    responseCode: status,
    limit: page.limit ?? 0,
    offset: page.offset ?? 0,
    count: page.count ?? (Array.isArray(data) ? data.length : 0),
    size: Array.isArray(data) ? data.length : 0,
    metaData: page.metaData ?? {},
    messages: page.messages ?? [],
    data,
  };
}

export function ok(data: unknown, page: Page = {}): EmulatorReply {
  return { status: 200, body: envelope(200, data, page) };
}

/** Thrown by handlers; the router turns it into an envelope with the status and messages. */
export class ArgusFailure extends Error {
  constructor(
    readonly status: number,
    readonly messages: Message[],
    readonly metaData: Record<string, unknown> = {},
  ) {
    super(messages.map((message) => message.message).join('; '));
  }

  static validation(errors: Message[]): ArgusFailure {
    return new ArgusFailure(412, errors);
  }

  reply(): EmulatorReply {
    return { status: this.status, body: envelope(this.status, null, { messages: this.messages, metaData: this.metaData }) };
  }
}

/** Collects field errors while a body is checked; `throwIfAny` answers 412 with all of them. */
export class FieldErrors {
  readonly list: Message[] = [];

  add(field: string, message: string): void {
    this.list.push(fieldError(field, message));
  }

  throwIfAny(): void {
    if (this.list.length > 0) throw ArgusFailure.validation(this.list);
  }
}
