import { readFileSync } from 'node:fs';
import type { SourceDeps } from '../create.js';
import { ArgusSource } from './adapter.js';
import { ArgusClient } from './client.js';
import type { ArgusSourceConfig } from './config.js';

/** Builds an Argus source from its validated config; a CA file that cannot be read stops the start. */
export function createArgusSource(config: ArgusSourceConfig, deps: SourceDeps): ArgusSource {
  let ca: string | undefined;
  if (config.caFile !== undefined) {
    try {
      ca = readFileSync(config.caFile, 'utf8');
    } catch (error) {
      throw new Error(`source ${config.id}: caFile '${config.caFile}' cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  }
  const client = new ArgusClient({
    source: config.id,
    url: config.url,
    apiKey: config.apiKey,
    verifyTls: config.verifyTls,
    ...(ca !== undefined ? { ca } : {}),
    ...(config.timeoutMs !== undefined ? { timeoutMs: config.timeoutMs } : {}),
    ...(config.retries !== undefined ? { retries: config.retries } : {}),
    ...(config.connections !== undefined ? { connections: config.connections } : {}),
    log: deps.log,
    metrics: deps.metrics,
    guard: deps.guard,
    transport: deps.transport,
  });
  return new ArgusSource(config.id, client, config.descriptors);
}
