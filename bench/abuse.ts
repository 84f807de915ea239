/**
 * The abuse corpus (test/abuse/corpus.ts: every hostile request of issue 21) against one gateway
 * process with API keys configured, next to an idle baseline of the same process in the same run.
 *
 * Stall: the slowest answer of a /livez prober (one probe after another, 20 ms apart), first
 * while the gateway idles, then while each case runs. A stalled event loop answers no probe, so
 * the slowest probe is the longest stall the prober saw (plus one probe's own time).
 * Memory: the peak resident set (Linux VmHWM of the gateway process, reset before the idle window
 * and before each case).
 *
 * A case that kills the process or freezes it past the patience (BENCH_ABUSE_PATIENCE_MS,
 * default 10 s) is reported as such; the process is started again for the next case. The
 * gateway runs through the tsx loader as `npm start` does (test/helpers/abuse-gateway.ts), which
 * adds some 130 MB to every RSS figure, idle and loaded alike.
 *
 * Usage: npm run bench -- abuse    (BENCH_ABUSE_IDLE_MS=5000 sets the idle window)
 */
import { ABUSE_CORPUS, ABUSE_DEADLINE_MS, abuseGatewayConfig, SEED_REQUESTS } from '../test/abuse/corpus.js';
import { AbuseGateway } from '../test/helpers/abuse-gateway.js';
import { mb, replay, type ReplayOutcome } from '../test/helpers/abuse-replay.js';
import { startAbuseUpstreams } from '../test/helpers/abuse-upstreams.js';

const PATIENCE_MS = Number(process.env.BENCH_ABUSE_PATIENCE_MS ?? 10_000);
const IDLE_MS = Number(process.env.BENCH_ABUSE_IDLE_MS ?? 5_000);
const PROBE_PAUSE_MS = 20;
/** The replay's bound: the patience, with no RSS bound (the bench measures, it does not judge). */
const LIMITS = { boundMs: PATIENCE_MS, rssGrowthBoundBytes: Number.POSITIVE_INFINITY };

interface Row {
  id: string;
  item: number;
  statuses: string;
  ms: number;
  stallMs: number;
  peakRssBytes: number;
  note: string;
}

async function idleBaseline(gateway: AbuseGateway): Promise<{ stallMs: number; peakRssBytes: number; probes: number }> {
  gateway.resetPeak();
  const until = performance.now() + IDLE_MS;
  let stallMs = 0;
  let probes = 0;
  while (performance.now() < until) {
    const sent = performance.now();
    const response = await gateway.agent.request({ origin: gateway.url, path: '/livez', method: 'GET', signal: AbortSignal.timeout(PATIENCE_MS) });
    await response.body.dump();
    stallMs = Math.max(stallMs, performance.now() - sent);
    probes++;
    await new Promise((resolve) => setTimeout(resolve, PROBE_PAUSE_MS));
  }
  return { stallMs, peakRssBytes: gateway.peakRssBytes(), probes };
}

async function seed(gateway: AbuseGateway): Promise<void> {
  for (const request of SEED_REQUESTS) await replay(gateway, request, LIMITS);
}

function rowOf(id: string, item: number, outcome: ReplayOutcome, note: string): Row {
  const statuses = new Map<string, number>();
  for (const answer of outcome.answers) {
    const key = answer.closedEarly ? 'closed' : (answer.status?.toString() ?? 'none');
    statuses.set(key, (statuses.get(key) ?? 0) + 1);
  }
  const stallMs = outcome.livez.failure ? PATIENCE_MS : (outcome.livez.slowestMs ?? 0);
  return {
    id,
    item,
    statuses: [...statuses].map(([status, count]) => (count > 1 ? `${status}x${count}` : status)).join(' '),
    ms: Math.max(...outcome.answers.map((answer) => answer.elapsedMs)),
    stallMs,
    peakRssBytes: outcome.peakRssBytes,
    note,
  };
}

/** A markdown table's head; the columns listed in `left` are text, the others numbers. */
function table(columns: string[], left: number[]): void {
  console.log(`\n| ${columns.join(' | ')} |`);
  console.log(`| ${columns.map((_, i) => (left.includes(i) ? '---' : '---:')).join(' | ')} |`);
}

function line(cells: Array<string | number>): void {
  console.log(`| ${cells.join(' | ')} |`);
}

const upstreams = await startAbuseUpstreams();
const gateway = await AbuseGateway.start({ config: abuseGatewayConfig(upstreams) });
try {
  await seed(gateway);
  const idle = await idleBaseline(gateway);
  const rows: Row[] = [];
  for (const abuse of ABUSE_CORPUS) {
    const outcome = await replay(gateway, abuse.request, LIMITS);
    const wrong = await gateway.ensureAlive(PATIENCE_MS);
    const note = outcome.exit
      ? `process ended (${outcome.exit}); restarted`
      : wrong
        ? `restarted: ${wrong}`
        : outcome.livez.failure
          ? `livez: ${outcome.livez.failure}`
          : '';
    if (wrong) await seed(gateway);
    rows.push(rowOf(abuse.id, abuse.item, outcome, note));
  }

  console.log(`abuse corpus: ${rows.length} cases, one gateway process (keys, requestDeadlineMs ${ABUSE_DEADLINE_MS}), patience ${PATIENCE_MS} ms`);
  console.log(`Node ${process.version}`);
  table(['case', 'item', 'status', 'ms', 'worst /livez ms', 'x idle', 'peak RSS MB', 'x idle', 'note'], [0, 2, 8]);
  for (const row of rows) {
    const stallRatio = (row.stallMs / idle.stallMs).toFixed(1);
    const rssRatio = row.peakRssBytes > 0 ? (row.peakRssBytes / idle.peakRssBytes).toFixed(2) : '-';
    line([row.id, row.item, row.statuses, Math.round(row.ms), Math.round(row.stallMs), stallRatio, mb(row.peakRssBytes), rssRatio, row.note]);
  }
  const worstStall = rows.reduce((worst, row) => (row.stallMs > worst.stallMs ? row : worst));
  const worstRss = rows.reduce((worst, row) => (row.peakRssBytes > worst.peakRssBytes ? row : worst));
  const restarts = rows.filter((row) => row.note.includes('restarted')).length;
  table(['', 'idle baseline', 'over the corpus', 'x idle', 'worst case'], [0, 4]);
  const stallRatio = (worstStall.stallMs / idle.stallMs).toFixed(1);
  // A probe still unanswered at the patience is a stall of at least that long; the process was killed there.
  const worstShown = worstStall.stallMs >= PATIENCE_MS ? `>= ${PATIENCE_MS}` : Math.round(worstStall.stallMs);
  line(['worst /livez answer (event-loop stall), ms', Math.round(idle.stallMs), worstShown, stallRatio, worstStall.id]);
  line(['peak RSS, MB', mb(idle.peakRssBytes), mb(worstRss.peakRssBytes), (worstRss.peakRssBytes / idle.peakRssBytes).toFixed(2), worstRss.id]);
  console.log(`\nidle window ${IDLE_MS} ms (${idle.probes} probes); cases that ended or froze the process: ${restarts}`);
} finally {
  await gateway.close();
  await upstreams.close();
}
