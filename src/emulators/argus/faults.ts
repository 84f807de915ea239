import type { Fault } from '../server.js';
import { actionError, envelope } from './envelope.js';

/**
 * Argus failures for fault injection, in the Argus envelope: 503 (which the Argus SDK retries) and
 * 402 with `metaData.millisUntilResourcesAvailable` (resource-limited endpoints). Argus documents
 * no 429. Pass the result to `emulator.inject(...)`.
 */
export const argusFaults = {
  unavailable(options: Omit<Fault, 'status' | 'body'> = {}): Fault {
    return { status: 503, body: envelope(503, null, { messages: [actionError('Service temporarily unavailable')] }), ...options };
  },

  resourcesExhausted(waitMs: number, options: Omit<Fault, 'status' | 'body'> = {}): Fault {
    return {
      status: 402,
      body: envelope(402, null, {
        messages: [actionError('Resource limit reached for this user; try again later')],
        metaData: { millisUntilResourcesAvailable: waitMs },
      }),
      ...options,
    };
  },
};
