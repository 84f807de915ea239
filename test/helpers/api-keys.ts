import { createHash } from 'node:crypto';

/** An API key as `auth.apiKeys[].sha256` stores it: the hex SHA-256 of the key. */
export const sha = (key: string): string => createHash('sha256').update(key).digest('hex');

/** The header a client sends its API key in. */
export const as = (key: string): Record<string, string> => ({ authorization: `Bearer ${key}` });
