/**
 * The gateway key the page sends when the gateway asks for one (`auth` configured): kept for this
 * browser tab only (sessionStorage), sent as `Authorization: Bearer <key>` with every GraphQL
 * request and live stream. The page itself is served without a key; its data is not.
 */

const STORAGE_KEY = 'metric-gateway:explore:key';

export function gatewayKey(): string {
  try {
    return sessionStorage.getItem(STORAGE_KEY) ?? '';
  } catch {
    return '';
  }
}

export function setGatewayKey(key: string): void {
  try {
    if (key) sessionStorage.setItem(STORAGE_KEY, key);
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage disabled: the key lasts until the page is left, which is all it promised anyway.
    memory = key;
  }
}

let memory = '';

export function authHeaders(): Record<string, string> {
  const key = gatewayKey() || memory;
  return key ? { authorization: `Bearer ${key}` } : {};
}
