/** The length of a selected range, for Live's window and backfill. */

const UNIT_MS: Record<string, number> = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3 };
const DEFAULT_MS = 3600e3;
/** The gateway sends at most a day of backfill. */
const MAX_BACKFILL_MS = 86400e3;

/**
 * `now-6h` .. `now` is six hours; absolute times give their difference. Anything the page cannot
 * work out by itself (rounding like `now-1d/d`) counts as an hour: Live only needs a window.
 */
export function rangeMs(from: string, to: string): number {
  const start = instant(from);
  const end = instant(to || 'now');
  if (start === undefined || end === undefined || end <= start) return DEFAULT_MS;
  return end - start;
}

function instant(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === 'now') return Date.now();
  const relative = /^now-(\d+)([smhdw])$/.exec(trimmed);
  if (relative) return Date.now() - Number(relative[1]) * UNIT_MS[relative[2]!]!;
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const parsed = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(trimmed) ? trimmed : `${trimmed}Z`);
  return Number.isNaN(parsed) ? undefined : parsed;
}

/** The metricStream `backfill` for a window: whole seconds, at most a day. */
export function backfillFor(windowMs: number): string {
  return `${Math.max(1, Math.round(Math.min(windowMs, MAX_BACKFILL_MS) / 1000))}s`;
}
