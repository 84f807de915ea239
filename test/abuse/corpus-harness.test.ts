import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AbuseGateway } from '../helpers/abuse-gateway.js';
import { abuseProblems, replay } from '../helpers/abuse-replay.js';

/**
 * The harness itself: against a server that misbehaves on purpose (one way per path), each abuse
 * property must report exactly the failure it is about, and a well-behaved answer must pass. The
 * bounds are derived from the same limits the corpus uses, with the misbehaviour well past them.
 */
const limits = { boundMs: 1_500, rssGrowthBoundBytes: 64 * 1024 * 1024 };

describe('the abuse harness catches each kind of failure', () => {
  let server: AbuseGateway;

  beforeAll(async () => {
    server = await AbuseGateway.start({ config: {}, script: 'test/helpers/abuse-misbehaving-server.ts' });
  }, 60_000);
  afterAll(() => server?.close());

  const problemsOf = async (path: string) => {
    const outcome = await replay(server, { method: 'GET', path }, limits);
    await server.ensureAlive(limits.boundMs);
    return abuseProblems(outcome, limits);
  };

  it('a quick, small, successful answer has no problem', async () => {
    expect(await problemsOf('/ok')).toEqual([]);
  });

  it.each([
    ['/fail', /^HTTP 500/],
    ['/masked', /^masked error 'Unexpected error\.'/],
    ['/echo?chars=5000', /^an error message of 5000 chars/],
    [`/slow?ms=${limits.boundMs + 500}`, new RegExp(`^answered after \\d+ ms; the bound is ${limits.boundMs} ms`)],
    [`/slow?ms=${limits.boundMs + 5_000}`, new RegExp(`^no complete answer within ${limits.boundMs} ms`)],
    [`/grow?mb=${3 * 64}`, /^peak RSS grew by \d+(\.\d)? MB during the case; the bound is 64 MB/],
  ])('%s is reported', async (path, expected) => {
    const problems = await problemsOf(path);
    expect(problems.some((problem) => expected.test(problem)), problems.join('\n')).toBe(true);
  });

  it('a stalled event loop fails /livez even when the case itself answers in time', async () => {
    // The stall is twice the bound: the case answers right after it, the probe sent meanwhile waits as long.
    const problems = await problemsOf(`/stall?ms=${2 * limits.boundMs}`);
    expect(problems.some((problem) => /^\/livez (failed|took)/.test(problem)), problems.join('\n')).toBe(true);
  });

  it('a process that ends is reported, and started again for the next case', async () => {
    const problems = await problemsOf('/exit');
    expect(problems.some((problem) => /^the gateway process ended during the case \(exit code 3\)/.test(problem)), problems.join('\n')).toBe(true);
    expect(await problemsOf('/ok')).toEqual([]);
  });
});
