import fc from 'fast-check';
import { ABUSE_DEADLINE_MS, abuseGatewayConfig, rssGrowthBoundBytes } from '../abuse/corpus.js';
import { AbuseGateway } from './abuse-gateway.js';
import { abuseProblems, describeOutcome, replay, type AbuseRequest, type ReplayLimits } from './abuse-replay.js';

/**
 * What the fuzz files share: one gateway process per file with the corpus's keys and a small
 * deadline (native source only: the fuzzers aim at the gateway's own parsing and limits, not at
 * the vendors), the properties every run is held to, and seeded fast-check parameters.
 */

/** Body limit of the fuzzed gateway: small, so the body generators reach past it often. */
export const FUZZ_MAX_BODY_BYTES = 256 * 1024;

export const FUZZ_LIMITS: ReplayLimits = { boundMs: ABUSE_DEADLINE_MS + 1_000, rssGrowthBoundBytes: rssGrowthBoundBytes(FUZZ_MAX_BODY_BYTES) };

/** The seed of every fuzz run: fixed, so a failure replays; ABUSE_SEED picks another. */
export const FUZZ_SEED = Number(process.env.ABUSE_SEED ?? 21);

/**
 * fast-check parameters for `runs` runs (ABUSE_RUNS_SCALE multiplies them for a longer hunt).
 * A failing run ends the property at once: hostile cases can take seconds each, and shrinking
 * through a dead or frozen gateway would spend the CI budget; the report names the seed and path
 * to replay, and the counterexample.
 */
export function fuzzParameters(runs: number): fc.Parameters<unknown> {
  return { seed: FUZZ_SEED, numRuns: Math.max(1, Math.round(runs * Number(process.env.ABUSE_RUNS_SCALE ?? 1))), endOnFailure: true };
}

export async function startFuzzGateway(): Promise<AbuseGateway> {
  const config = abuseGatewayConfig({ darktraceUrl: '', hungUrl: '' }, FUZZ_MAX_BODY_BYTES);
  return AbuseGateway.start({ config: { ...config, sources: [{ id: 'native', kind: 'native' }] } });
}

/**
 * Replays one generated request and throws (failing the fast-check run) when any abuse property
 * breaks. A gateway left dead or frozen is started again, so the next property starts clean.
 */
export async function expectWithstood(gateway: AbuseGateway, request: AbuseRequest): Promise<void> {
  const outcome = await replay(gateway, request, FUZZ_LIMITS);
  const problems = abuseProblems(outcome, FUZZ_LIMITS);
  if (problems.length === 0) return;
  const output = gateway.outputTail(600);
  const restarted = await gateway.ensureAlive(FUZZ_LIMITS.boundMs);
  if (restarted) problems.push(`the gateway was started again after the run: ${restarted}`);
  throw new Error(`${problems.join('\n')}\n${describeOutcome(outcome)}\ngateway output:\n${output}`);
}

/** A short, printable account of a generated request (fast-check prints the counterexample too). */
export function shortly(request: AbuseRequest): string {
  const body = typeof request.body === 'function' ? request.body() : (request.body ?? '');
  return `${request.method} ${request.path} (${body.length} bytes) ${body.slice(0, 160)}`;
}
