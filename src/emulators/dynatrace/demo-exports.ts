import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EmulatedRequest } from '../server.js';
import type { DynatraceEmulator } from './index.js';
import { handleQuery } from './query.js';

/**
 * An export directory for the demo: the last `days` whole UTC days of per-customer usage, saved
 * the way a cost team would save them — the emulator's own /metrics/query answers at 1d
 * resolution, one file per day. Removed again by the returned function.
 */
export async function writeDemoExports(emulator: DynatraceEmulator, days = 7, now = Date.now()): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'metric-gateway-dynatrace-exports-'));
  const today = Math.floor(now / 86_400_000) * 86_400_000;
  for (let i = days; i >= 1; i--) {
    const from = today - i * 86_400_000;
    const selector = 'shop.requests.count,shop.cpu_time';
    const url = new URL(`http://emulator/api/v2/metrics/query?metricSelector=${encodeURIComponent(selector)}&from=${from}&to=${from + 86_400_000}&resolution=1d`);
    const request: EmulatedRequest = { method: 'GET', rawPath: `${url.pathname}${url.search}`, url, headers: {}, body: '', receivedAt: now };
    const reply = handleQuery(request, emulator.catalogue, now);
    await writeFile(join(dir, `shop-usage-${new Date(from).toISOString().slice(0, 10)}.json`), JSON.stringify(reply.body, null, 2));
  }
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
