import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ConfigError, validateConfig } from '../../src/config/load.js';
import type { GatewayConfigInput } from '../../src/config/schema.js';
import { effectiveTimeoutMs } from '../../src/resilience/source-timeout.js';
import { fencedBlocks } from '../helpers/fenced-blocks.js';

/**
 * Source timeouts against the request deadline: unset ones are derived to sit below it, set ones
 * are compared with it, and the check reads effective values, defaults included.
 */
const ENV = { DT_PUBLIC: 'public', DT_PRIVATE: 'private', DT_API_TOKEN: 'token' };
const darktrace = { id: 'appliance', kind: 'darktrace', url: 'https://darktrace.example.com', publicToken: 'p', privateToken: 'q' };
const dynatrace = { id: 'dynatrace', kind: 'dynatrace', url: 'https://abc12345.live.dynatrace.com', apiToken: 't' };
const argus = {
  id: 'argus',
  kind: 'argus',
  url: 'https://api.mnemonic.no',
  apiKey: 'k',
  descriptors: [{ shortName: 'netstats', keys: ['ip'], values: ['packages'] }],
};

function timeouts(config: Partial<GatewayConfigInput>): Record<string, number | undefined> {
  const validated = validateConfig({ sources: [{ id: 'native', kind: 'native' }], ...config }, 'gateway.yaml', ENV);
  return Object.fromEntries(validated.sources.map((source) => [source.id, source.timeoutMs]));
}

function problemsOf(config: Partial<GatewayConfigInput>): string[] {
  try {
    validateConfig(config, 'gateway.yaml', ENV);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError, but the config was accepted');
}

describe('source timeouts', () => {
  it('default below the default request deadline, for every remote kind', () => {
    const sources = [{ id: 'native', kind: 'native' }, darktrace, dynatrace, argus] as GatewayConfigInput['sources'];
    expect(timeouts({ sources })).toEqual({ native: undefined, appliance: 20_000, dynatrace: 20_000, argus: 20_000 });
  });

  it('follow a lowered requestDeadlineMs without an edit of the sources', () => {
    const sources = [darktrace, dynatrace, argus] as GatewayConfigInput['sources'];
    expect(timeouts({ requestDeadlineMs: 1500, sources })).toEqual({ appliance: 1200, dynatrace: 1200, argus: 1200 });
    // A raised deadline does not raise them past the kind's default.
    expect(timeouts({ requestDeadlineMs: 120_000, sources })).toEqual({ appliance: 20_000, dynatrace: 20_000, argus: 20_000 });
  });

  it('keep a set value below the deadline, and refuse one that is not, naming both values', () => {
    expect(timeouts({ requestDeadlineMs: 6000, sources: [{ ...darktrace, timeoutMs: 5999 }] as GatewayConfigInput['sources'] })).toEqual({ appliance: 5999 });
    const sources = [{ id: 'native', kind: 'native' }, { ...dynatrace, timeoutMs: 6000 }] as GatewayConfigInput['sources'];
    expect(problemsOf({ requestDeadlineMs: 6000, sources })).toEqual([
      "sources[1].timeoutMs: must be below requestDeadlineMs (6000); got 6000. Left unset, it is 80% of requestDeadlineMs, at most the kind's default",
    ]);
  });

  it('are checked as effective values: a derived default that cannot fit is an error too', () => {
    expect(problemsOf({ requestDeadlineMs: 1, sources: [darktrace] as GatewayConfigInput['sources'] })).toEqual([
      "sources[0].timeoutMs: must be below requestDeadlineMs (1); got 1 by default. Left unset, it is 80% of requestDeadlineMs, at most the kind's default",
    ]);
  });

  it('effectiveTimeoutMs: the set value, else the kind default capped at 80% of the deadline', () => {
    expect(effectiveTimeoutMs(undefined, 20_000, 25_000)).toBe(20_000);
    expect(effectiveTimeoutMs(undefined, 20_000, 6000)).toBe(4800);
    expect(effectiveTimeoutMs(7000, 20_000, 6000)).toBe(7000);
    expect(effectiveTimeoutMs(undefined, 20_000, 1)).toBe(1);
  });

  it('the example in docs/deadlines.md gives the values it says', () => {
    const [yaml] = fencedBlocks('docs/deadlines.md', 'yaml');
    expect(timeouts(parse(yaml!) as Partial<GatewayConfigInput>)).toEqual({ native: undefined, appliance: 4800, dynatrace: 3000 });
    const [refusal] = fencedBlocks('docs/deadlines.md', 'text');
    const tooLong = parse(yaml!) as { sources: Array<Record<string, unknown>> };
    tooLong.sources[1]!.timeoutMs = 6000;
    expect(problemsOf(tooLong as Partial<GatewayConfigInput>)).toEqual([refusal!.trim()]);
  });
});
