import { readFileSync } from 'node:fs';

/** Whether `path` is a readable PEM file holding at least one certificate (for `caFile`). */
export function isReadablePem(path: string): boolean {
  try {
    return readFileSync(path, 'utf8').includes('-----BEGIN CERTIFICATE-----');
  } catch {
    return false;
  }
}
