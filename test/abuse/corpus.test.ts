import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AbuseGateway } from '../helpers/abuse-gateway.js';
import { abuseProblems, describeOutcome, parsed, replay, type ReplayOutcome } from '../helpers/abuse-replay.js';
import { startAbuseUpstreams, type AbuseUpstreams } from '../helpers/abuse-upstreams.js';
import { ABUSE_CORPUS, ABUSE_DEADLINE_MS, abuseGatewayConfig, ISSUE_ITEMS, rssGrowthBoundBytes, SEED_REQUESTS, type AbuseCase } from './corpus.js';

/**
 * Every case of the abuse corpus (issue 21) against one gateway process with API keys configured.
 * Each case must keep the generic properties (abuseProblems: status below 500, no masked error,
 * an answer within requestDeadlineMs + 1 s, /livez answering meanwhile, bounded RSS growth) and
 * what the corpus says of it (refused, leaks, throttled). What exactly a refusal looks like is
 * for each item's own tests. A case that kills or freezes the process fails, and the process is
 * started again so the next case is judged on its own.
 */
const limits = { boundMs: ABUSE_DEADLINE_MS + 1_000, rssGrowthBoundBytes: rssGrowthBoundBytes() };

describe('the abuse corpus, replayed against one gateway with keys configured', () => {
  let upstreams: AbuseUpstreams;
  let gateway: AbuseGateway;
  let startRss = 0;

  async function seed(): Promise<void> {
    for (const request of SEED_REQUESTS) {
      const outcome = await replay(gateway, request, limits);
      expect(parsed(outcome.answers[0]!)?.data?.trackMetric?.success, describeOutcome(outcome)).toBe(true);
    }
    startRss = gateway.rssBytes();
  }

  beforeAll(async () => {
    upstreams = await startAbuseUpstreams();
    gateway = await AbuseGateway.start({ config: abuseGatewayConfig(upstreams) });
    await seed();
  }, 60_000);
  afterAll(async () => {
    await gateway?.close();
    await upstreams?.close();
  });

  for (const abuse of ABUSE_CORPUS) {
    const name = `item ${abuse.item} (${ISSUE_ITEMS[abuse.item].split(' (')[0]}): ${abuse.id}`;
    it(name, async () => {
      const outcome = await replay(gateway, abuse.request, limits);
      const problems = [...abuseProblems(outcome, limits), ...expectationProblems(abuse, outcome)];
      if (process.env.ABUSE_VERBOSE) console.log(`${abuse.id}\n${describeOutcome(outcome)}\n`);
      // A case that killed or froze the process must not be blamed on the next one.
      const output = gateway.outputTail(800);
      const wrong = await gateway.ensureAlive(limits.boundMs);
      if (wrong !== undefined) {
        problems.push(`the gateway was started again after the case: ${wrong}`);
        await seed();
      }
      expect(problems, `${abuse.title}\n${describeOutcome(outcome)}\ngateway output:\n${output}`).toEqual([]);
    }, 90_000);
  }

  it('the resident set after the whole corpus stays within the bound of its start', () => {
    const growth = gateway.rssBytes() - startRss;
    expect(growth, `RSS ${startRss} -> ${gateway.rssBytes()} bytes`).toBeLessThanOrEqual(limits.rssGrowthBoundBytes);
  });
});

/** What the corpus says of a case beyond the generic properties. */
function expectationProblems(abuse: AbuseCase, outcome: ReplayOutcome): string[] {
  const problems: string[] = [];
  // A connection closed on an oversized body is a refusal too.
  const answers = outcome.answers.filter((answer) => answer.status !== undefined && !answer.closedEarly);
  if (abuse.refused) {
    for (const answer of answers) {
      const json = parsed(answer);
      const errors: any[] = Array.isArray(json?.errors) ? json.errors : [];
      if (abuse.refused === 'http') {
        const uncoded = errors.filter((error) => typeof error?.extensions?.code !== 'string');
        if (answer.status! < 400 || answer.status! >= 500) {
          problems.push(`expected an HTTP 4xx refusal; got HTTP ${answer.status}: ${answer.head.slice(0, 200)}`);
        }
        else if (uncoded.length > 0) problems.push(`expected every error to carry extensions.code; got ${JSON.stringify(uncoded[0]).slice(0, 200)}`);
      } else {
        const dataNull = json?.data === undefined || json.data === null || Object.values(json.data).every((value) => value === null);
        if (answer.status! < 400 && !(errors.length > 0 && dataNull)) {
          const got = `HTTP ${answer.status} with ${answer.bodyBytes} bytes: ${answer.head.slice(0, 200)}`;
          problems.push(`expected a refusal (a 4xx, or errors with no data); got ${got}`);
        }
      }
      if (problems.length > 0) break;
    }
  }
  if (abuse.leaks) {
    const leaking = answers.find((answer) => abuse.leaks!.test(answer.head + answer.tail));
    if (leaking) problems.push(`the answer carries ${abuse.leaks}: ${leaking.head.slice(0, 300)}`);
  }
  if (abuse.throttled && !answers.some((answer) => answer.status === 429)) {
    problems.push(`expected some of the ${outcome.answers.length} copies to be throttled (429); none was`);
  }
  return problems;
}
