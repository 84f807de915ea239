import { describe, expect, it } from 'vitest';
import { ConfigError, validateConfig } from '../../src/config/load.js';

const descriptor = { shortName: 'netstats', keys: ['ipAddress', 'vlan'], values: ['packages', 'frames'] };

function argus(overrides: Record<string, unknown> = {}) {
  return { sources: [{ id: 'argus', kind: 'argus', apiKey: 'k', descriptors: [descriptor], ...overrides }] };
}

function problemsOf(tree: unknown): string[] {
  try {
    validateConfig(tree, 'gateway.yaml', {});
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError, but the config was accepted');
}

describe('argus source configuration', () => {
  it('fills the defaults: the public API, certificate checks on, customer-owned descriptors', () => {
    const config = validateConfig(argus(), 'gateway.yaml', {});
    expect(config.sources[0]).toMatchObject({
      kind: 'argus',
      url: 'https://api.mnemonic.no',
      verifyTls: true,
      descriptors: [{ shortName: 'netstats', keys: [{ name: 'ipAddress' }, { name: 'vlan' }], values: ['packages', 'frames'], global: false }],
    });
  });

  it('takes typed keys, default functions, units and global descriptors', () => {
    const config = validateConfig(
      argus({
        descriptors: [
          { shortName: 'netstats', keys: [{ name: 'ipAddress', type: 'ip' }, 'vlan'], values: ['packages'], defaultFunctions: { packages: 'max' }, units: { packages: 'packets' } },
          { shortName: 'threatfeed', keys: ['feed'], values: ['indicators'], global: true },
        ],
      }),
      'gateway.yaml',
      {},
    );
    const [netstats, feed] = (config.sources[0] as { descriptors: Array<Record<string, unknown>> }).descriptors;
    expect(netstats).toMatchObject({ keys: [{ name: 'ipAddress', type: 'ip' }, { name: 'vlan' }], defaultFunctions: { packages: 'max' }, units: { packages: 'packets' } });
    expect(feed).toMatchObject({ global: true });
  });

  it.each([
    [{ apiKey: undefined }, 'sources[0].apiKey: required'],
    [{ apiKey: '' }, 'sources[0].apiKey: required'],
    [{ descriptors: [] }, 'sources[0].descriptors: must list at least one descriptor (Argus has no discovery endpoint)'],
    [{ descriptors: undefined }, 'sources[0].descriptors: required'],
    [{ url: 'ftp://argus.example' }, 'sources[0].url: must be an http(s) URL like https://api.mnemonic.no'],
    [{ verifyTls: 'no' }, 'sources[0].verifyTls: must be a boolean; got "no"'],
    [{ descriptors: [descriptor, descriptor] }, "sources[0].descriptors: descriptor 'netstats' is listed twice"],
    [{ descriptors: [{ ...descriptor, keys: ['vlan', 'vlan'] }] }, "sources[0].descriptors[0].keys: key 'vlan' is listed twice"],
    [{ descriptors: [{ ...descriptor, keys: [] }] }, 'sources[0].descriptors[0].keys: must name at least one key'],
    [{ descriptors: [{ ...descriptor, values: ['a.b'] }] }, 'sources[0].descriptors[0].values[0]: must be a name of letters, digits, _ or - starting with a letter or _'],
    [{ descriptors: [{ ...descriptor, defaultFunctions: { bytes: 'sum' } }] }, "sources[0].descriptors[0].defaultFunctions.bytes: 'bytes' is not one of the values (packages, frames)"],
    [{ descriptors: [{ ...descriptor, units: { bytes: 'B' } }] }, "sources[0].descriptors[0].units.bytes: 'bytes' is not one of the values (packages, frames)"],
    [{ descriptors: [{ ...descriptor, frameSize: 5 }] }, "sources[0].descriptors[0]: unknown setting 'frameSize'"],
  ])('refuses %j with a message naming the path', (overrides, problem) => {
    expect(problemsOf(argus(overrides))).toContain(problem);
  });

  it('refuses wavg as a default function: it needs a weight a default cannot name', () => {
    const problems = problemsOf(argus({ descriptors: [{ ...descriptor, defaultFunctions: { packages: 'wavg' } }] }));
    expect(problems.join('\n')).toMatch(/sources\[0\]\.descriptors\[0\]\.defaultFunctions\.packages/);
  });

  it('refuses a key type Argus does not have', () => {
    const problems = problemsOf(argus({ descriptors: [{ ...descriptor, keys: [{ name: 'vlan', type: 'long' }] }] }));
    expect(problems.join('\n')).toMatch(/sources\[0\]\.descriptors\[0\]\.keys\[0\]/);
  });
});
