import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatPath, interpolateEnv, type InterpolationProblem } from '../../src/config/interpolate.js';
import { ConfigError, loadConfig, validateConfig } from '../../src/config/load.js';
import { usableCpus } from '../../src/config/usable-cpus.js';

const minimal = { sources: [{ id: 'native', kind: 'native' }] };

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError, but the config was accepted');
}

describe('interpolateEnv', () => {
  const env = { HOST: 'metrics.internal', EMPTY: '', TOKEN: 's3cret' };

  function interpolate(tree: unknown) {
    const problems: InterpolationProblem[] = [];
    const out = interpolateEnv(tree, env, problems);
    return { out, problems };
  }

  it('replaces ${VAR} anywhere in a string', () => {
    expect(interpolate('https://${HOST}:8443/api?t=${TOKEN}')).toEqual({
      out: 'https://metrics.internal:8443/api?t=s3cret',
      problems: [],
    });
  });

  it('uses the ${VAR:-default} fallback for unset and empty variables only', () => {
    expect(interpolate(['${MISSING:-fallback}', '${EMPTY:-fallback}', '${HOST:-fallback}', '${MISSING:-}']).out).toEqual([
      'fallback',
      'fallback',
      'metrics.internal',
      '',
    ]);
  });

  it('writes $${ as a literal ${', () => {
    expect(interpolate('price: $${HOST} and ${HOST}')).toEqual({ out: 'price: ${HOST} and metrics.internal', problems: [] });
  });

  it('reports each missing variable with the path of the value that needed it', () => {
    const { out, problems } = interpolate({ sources: [{ id: 'a', apiKey: '${API_KEY}' }], redis: { url: '${EMPTY}' } });
    expect(out).toEqual({ sources: [{ id: 'a', apiKey: '' }], redis: { url: '' } });
    expect(problems).toEqual([
      { path: ['sources', 0, 'apiKey'], message: 'environment variable API_KEY is not set' },
      { path: ['redis', 'url'], message: 'environment variable EMPTY is not set' },
    ]);
  });

  it('leaves numbers, booleans and null alone', () => {
    expect(interpolate({ port: 4000, demo: false, redis: null }).out).toEqual({ port: 4000, demo: false, redis: null });
  });
});

describe('formatPath', () => {
  it('writes paths the way a reader would type them', () => {
    expect(formatPath(['sources', 1, 'apiKey'])).toBe('sources[1].apiKey');
    expect(formatPath([])).toBe('(root)');
  });
});

describe('validateConfig', () => {
  it('fills in defaults and turns durations into milliseconds', () => {
    const config = validateConfig({ ...minimal, cache: { openTtl: '30s', closedTtl: '2h' } }, 'gateway.yaml', {});
    expect(config).toEqual({
      port: 4000,
      host: '0.0.0.0',
      graphqlPath: '/graphql',
      trustedProxies: [],
      cache: { maxEntries: 10_000, openTtl: 30_000, closedTtl: 7_200_000, settle: 300_000, staleWhileRevalidate: 0, claimLease: 10_000, responses: { maxBytes: 64 * 1024 * 1024 } },
      log: { level: 'info' },
      shutdownTimeoutMs: 10_000,
      requestDeadlineMs: 25_000,
      limits: {
        maxBodyBytes: 1_048_576,
        maxDepth: 12,
        maxAliases: 50,
        maxTokens: 5000,
        maxDirectives: 50,
        maxCost: 50_000,
        maxNesting: 64,
        maxInputNesting: 32,
        rateLimit: { requests: 6000, windowMs: 60_000 },
        demand: { maxPointsPerField: 500_000, maxPointsPerRequest: 500_000, assumedRawIntervalMs: 60_000 },
      },
      streams: { heartbeat: 12_000, pollInterval: 30_000, maxQueued: 1000 },
      upstreamThread: usableCpus() >= 2,
      demo: false,
      sources: [{ id: 'native', kind: 'native' }],
    });
  });

  it('validates auth: hashed keys, one JWT key source, unique key ids, and source timeouts below the request deadline', () => {
    const key = { id: 'dash', sha256: 'a'.repeat(64), tenant: 'acme' };
    const config = validateConfig({ ...minimal, auth: { apiKeys: [key] } }, 'gateway.yaml', {});
    expect(config.auth).toEqual({ apiKeys: [{ ...key, introspection: false }], failedLogins: { max: 20, windowMs: 60_000, maxAddresses: 100_000 } });
    const problems = problemsOf(() =>
      validateConfig(
        {
          requestDeadlineMs: 5000,
          sources: [{ id: 'native', kind: 'native', timeoutMs: 5000 }],
          auth: {
            apiKeys: [{ ...key, sha256: 'plaintext-key' }, key, key],
            jwt: { issuer: 'https://idp', audience: 'gw' },
          },
        },
        'gateway.yaml',
        {},
      ),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('auth.apiKeys[0].sha256: must be the SHA-256 of the key as 64 hex digits'),
        expect.stringContaining("auth.apiKeys[2].id: duplicate key id 'dash'"),
        expect.stringContaining('give exactly one of jwksUrl and publicKey'),
        expect.stringContaining('sources[0].timeoutMs: must be below requestDeadlineMs (5000); got 5000'),
      ]),
    );
  });

  it('substitutes environment variables before validating', () => {
    const config = validateConfig({ sources: [{ id: '${SOURCE_ID}', kind: 'native' }] }, 'gateway.yaml', { SOURCE_ID: 'edge' });
    expect(config.sources[0]!.id).toBe('edge');
  });

  it('reports a missing variable with its path', () => {
    const problems = problemsOf(() => validateConfig({ sources: [{ id: '${SOURCE_ID}', kind: 'native' }] }, 'gateway.yaml', {}));
    expect(problems).toContain('sources[0].id: environment variable SOURCE_ID is not set');
  });

  it('lets PORT and REDIS_URL override the file', () => {
    const config = validateConfig(
      { ...minimal, port: 4000, redis: { url: 'redis://file:6379', keyPrefix: 'gw:' } },
      'gateway.yaml',
      { PORT: '8080', REDIS_URL: 'rediss://env:6380' },
    );
    expect(config.port).toBe(8080);
    expect(config.redis).toEqual({ url: 'rediss://env:6380', keyPrefix: 'gw:' });
  });

  it('ignores empty PORT and REDIS_URL', () => {
    const config = validateConfig({ ...minimal, port: 4001 }, 'gateway.yaml', { PORT: '', REDIS_URL: '' });
    expect(config.port).toBe(4001);
    expect(config.redis).toBeUndefined();
  });

  it('rejects a PORT that is not a port number', () => {
    expect(problemsOf(() => validateConfig(minimal, 'gateway.yaml', { PORT: 'http' }))).toEqual([
      "PORT: must be a port number; got 'http'",
    ]);
  });

  it('takes a stale-while-revalidate window globally and per source, 0 meaning off', () => {
    const tree = { cache: { staleWhileRevalidate: '30s' }, sources: [{ id: 'a', kind: 'native', cacheTtl: { open: '5s', staleWhileRevalidate: 0 } }] };
    const config = validateConfig(tree, 'gateway.yaml', {});
    expect(config.cache.staleWhileRevalidate).toBe(30_000);
    expect(config.sources[0]!.cacheTtl).toEqual({ open: 5_000, staleWhileRevalidate: 0 });
    const problems = problemsOf(() => validateConfig({ ...minimal, cache: { staleWhileRevalidate: 'a while' } }, 'gateway.yaml', {}));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^cache\.staleWhileRevalidate: must be .*; got "a while"$/);
  });

  it('reports unknown keys by name', () => {
    expect(problemsOf(() => validateConfig({ ...minimal, foo: 1 }, 'gateway.yaml', {}))).toEqual(["(root): unknown setting 'foo'"]);
    expect(problemsOf(() => validateConfig({ sources: [{ id: 'a', kind: 'native', maxSerie: 5, colour: 'red' }] }, 'g.yaml', {}))).toEqual([
      "sources[0]: unknown settings 'maxSerie', 'colour'",
    ]);
  });

  it('rejects duplicate source ids, naming the first use', () => {
    const tree = { sources: [{ id: 'a', kind: 'native' }, { id: 'b', kind: 'native' }, { id: 'a', kind: 'native' }] };
    expect(problemsOf(() => validateConfig(tree, 'gateway.yaml', {}))).toEqual(["sources[2].id: 'a' is already used by sources[0]"]);
  });

  it('rejects an unknown source kind', () => {
    expect(problemsOf(() => validateConfig({ sources: [{ id: 'a', kind: 'prometheus' }] }, 'gateway.yaml', {}))).toEqual([
      'sources[0].kind: kind must be one of native, darktrace, argus, dynatrace; got "prometheus"',
    ]);
  });

  it('rejects wrong types and a missing source list in plain words', () => {
    expect(problemsOf(() => validateConfig({ ...minimal, port: '4000' }, 'gateway.yaml', {}))).toEqual(['port: must be a number; got "4000"']);
    expect(problemsOf(() => validateConfig({}, 'gateway.yaml', {}))).toEqual(['sources: required']);
    expect(problemsOf(() => validateConfig({ sources: [] }, 'gateway.yaml', {}))).toEqual(['sources: at least one source is required']);
  });

  it('rejects an upstream pool of no connections', () => {
    const darktrace = { id: 'dt', kind: 'darktrace', url: 'https://dt.example', publicToken: 'p', privateToken: 'k', connections: 0 };
    expect(problemsOf(() => validateConfig({ sources: [darktrace] }, 'gateway.yaml', {}))).toEqual(['sources[0].connections: must be at least 1; got 0']);
    expect(validateConfig({ sources: [{ ...darktrace, connections: 8 }] }, 'gateway.yaml', {}).sources[0]).toMatchObject({ connections: 8 });
  });

  it('rejects a duration setting it cannot read', () => {
    expect(problemsOf(() => validateConfig({ ...minimal, cache: { settle: '5x' } }, 'gateway.yaml', {}))).toEqual([
      'cache.settle: must be a duration like 30s, 5m, 5min, 1h, 1hour, 1d, 7day or a number of seconds; got "5x"',
    ]);
  });

  it('reports several problems at once in one ConfigError', () => {
    const tree = { foo: 1, sources: [{ id: '${SOURCE_ID}', kind: 'native' }, { id: 'b', kind: 'other' }] };
    let error: ConfigError | undefined;
    try {
      validateConfig(tree, 'gateway.yaml', {});
    } catch (caught) {
      error = caught as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.file).toBe('gateway.yaml');
    expect(error!.problems).toEqual(
      expect.arrayContaining([
        'sources[0].id: environment variable SOURCE_ID is not set',
        'sources[1].kind: kind must be one of native, darktrace, argus, dynatrace; got "other"',
        "(root): unknown setting 'foo'",
      ]),
    );
    expect(error!.message.split('\n')[0]).toBe('invalid configuration in gateway.yaml:');
    for (const problem of error!.problems) expect(error!.message).toContain(`\n  ${problem}`);
  });
});

describe('loadConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mg-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function file(name: string, text: string): string {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  }

  const good = file('good.yaml', 'port: 4100\nsources:\n  - id: edge\n    kind: native\n    maxSeries: 50\n');

  it('reads the file named by --config', () => {
    const config = loadConfig({ argv: ['--config', good], env: {} });
    expect(config.port).toBe(4100);
    expect(config.sources).toEqual([{ id: 'edge', kind: 'native', maxSeries: 50 }]);
    expect(config.demo).toBe(false);
  });

  it('also takes --config=PATH and -c PATH', () => {
    expect(loadConfig({ argv: [`--config=${good}`], env: {} }).port).toBe(4100);
    expect(loadConfig({ argv: ['-c', good], env: {} }).port).toBe(4100);
  });

  it('reads the file named by GATEWAY_CONFIG, and --config wins over it', () => {
    const other = file('other.yaml', 'sources:\n  - id: other\n    kind: native\n');
    expect(loadConfig({ argv: [], env: { GATEWAY_CONFIG: good } }).port).toBe(4100);
    expect(loadConfig({ argv: ['--config', other], env: { GATEWAY_CONFIG: good } }).sources[0]!.id).toBe('other');
  });

  it('applies environment variables to the file', () => {
    const path = file('env.yaml', 'sources:\n  - id: ${SOURCE_ID:-fallback}\n    kind: native\n');
    expect(loadConfig({ argv: ['--config', path], env: { PORT: '9000' } })).toMatchObject({ port: 9000, sources: [{ id: 'fallback' }] });
  });

  it('falls back to the demo configuration when none is named', () => {
    const config = loadConfig({ argv: [], env: {} });
    expect(config.demo).toBe(true);
    expect(config.sources).toEqual([{ id: 'native', kind: 'native', maxPointsPerSeries: 5000 }]);
    expect(loadConfig({ argv: [], env: { PORT: '5000' } }).port).toBe(5000);
  });

  it('reports a missing file', () => {
    const missing = join(dir, 'nope.yaml');
    let error: unknown;
    try {
      loadConfig({ argv: ['--config', missing], env: {} });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).file).toBe(missing);
    expect((error as ConfigError).problems).toEqual(['cannot read the file: ENOENT']);
  });

  it('reports YAML that does not parse', () => {
    const bad = file('bad.yaml', 'sources:\n  - id: a\n    kind: [native\n');
    const problems = problemsOf(() => loadConfig({ argv: ['--config', bad], env: {} }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^not valid YAML: \S/);
  });

  it('reports a file whose top level is not a mapping', () => {
    const list = file('list.yaml', '- id: a\n  kind: native\n');
    expect(problemsOf(() => loadConfig({ argv: ['--config', list], env: {} }))).toEqual([
      '(root): must be a mapping of settings (port, redis, sources, ...)',
    ]);
    const empty = file('empty.yaml', '');
    expect(problemsOf(() => loadConfig({ argv: ['--config', empty], env: {} }))).toEqual([
      '(root): must be a mapping of settings (port, redis, sources, ...)',
    ]);
  });
});
