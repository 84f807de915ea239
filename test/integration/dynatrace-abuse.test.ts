import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/load.js';
import { startDynatraceEmulator, type DynatraceEmulator } from '../../src/emulators/dynatrace/index.js';
import type { Gateway } from '../../src/gateway.js';
import { dynatraceSource } from '../helpers/dynatrace.js';
import { gql, startGateway } from '../helpers/gateway.js';

const FIELD = 'metric: "http_requests", from: "2024-01-08", to: "2024-01-09", interval: "1d"';

/** Contract violations and bad input on the Dynatrace surface: each refused with the contract and the bad value. */
describe('dynatrace abuse', () => {
  let emulator: DynatraceEmulator;
  let gateway: Gateway;

  beforeAll(async () => {
    emulator = await startDynatraceEmulator();
    gateway = await startGateway({ sources: [dynatraceSource(emulator), { id: 'native', kind: 'native' }] });
  });
  afterAll(async () => {
    await gateway.close();
    await emulator.close();
  });

  it('refuses bad dynatrace parameters and intervals before asking Dynatrace', async () => {
    const before = emulator.queryCalls().length;
    const response = await gql(gateway, `{
      aggregation: metricData(source: "dynatrace", ${FIELD}, dynatrace: { aggregation: "p95" }) { values }
      percentile: metricData(source: "dynatrace", ${FIELD}, dynatrace: { aggregation: "percentile(101)" }) { values }
      interval: metricData(source: "dynatrace", metric: "http_requests", from: "2024-01-08T00:00:00Z", to: "2024-01-08T00:10:00Z", interval: "30s") { values }
      splitBy: metricData(source: "dynatrace", ${FIELD}, dynatrace: { splitBy: [""] }) { values }
      empty: metricData(source: "dynatrace", ${FIELD}, dynatrace: { entitySelector: " " }) { values }
      wrongKind: metricData(source: "native", ${FIELD}, dynatrace: { splitBy: [] }) { values }
    }`);
    const byPath = Object.fromEntries(response.errors!.map((error) => [error.path![0], error]));
    expect(byPath.aggregation!.message).toBe(
      "dynatrace.aggregation must be one of auto, avg, count, max, median, min, sum, value or percentile(N) with N from 0 to 100; got 'p95'",
    );
    expect(byPath.percentile!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'dynatrace.aggregation' });
    expect(byPath.interval!.message).toBe(
      "interval for a Dynatrace source must be a whole number of minutes (Dynatrace's finest time slot is 1m), like 1m, 5m, 1h or 1d; got 30s",
    );
    expect(byPath.splitBy!.message).toBe('dynatrace.splitBy must be a list of dimension keys (an empty list merges every series into one); got [""]');
    expect(byPath.empty!.message).toBe("dynatrace.entitySelector must be a non-empty selector string; got ' '");
    expect(byPath.wrongKind!.message).toBe("dynatrace parameters apply to dynatrace sources; 'native' is a native source");
    for (const error of response.errors!) expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(emulator.queryCalls().length).toBe(before);
  });

  it('refuses bad export mutations: wrong source, bad name, not a document', async () => {
    const ingest = (source: string, document: unknown, name?: string) =>
      gql(gateway, 'mutation ($source: ID, $document: JSON!, $name: String) { ingestDynatraceExport(source: $source, document: $document, name: $name) { status } }', { source, document, name });
    const native = await ingest('native', { timeframe: {}, metrics: [] });
    expect(native.errors![0]!.message).toBe("source 'native' is a native source; export documents go to dynatrace sources");
    const unknown = await ingest('nowhere', {});
    expect(unknown.errors![0]!.message).toBe("unknown source 'nowhere'; configured sources: dynatrace, native");
    const name = await ingest('dynatrace', {}, '   ');
    expect(name.errors![0]!.message).toBe('name must be 1 to 200 characters naming the document (like a file name); got "   "');
    const list = await ingest('dynatrace', [1, 2]);
    expect(list.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'document', jsonPath: '$' });
    expect(list.errors![0]!.message).toBe('$: must be an export object; got a list of 2');
    const text = await ingest('dynatrace', 'not json');
    expect(text.errors![0]!.message).toBe('$: must be an export object; got "not json"');
  });

  it.each([
    [{ url: 'https://abc.live.dynatrace.com/api/v2' }, /sources\[0\]\.url: must be the environment URL without \/api\/v2/],
    [{ url: 'ftp://abc.live.dynatrace.com' }, /sources\[0\]\.url: must be the environment URL/],
    [{ apiToken: undefined }, /sources\[0\]\.apiToken: required: url and apiToken go together/],
    [{ url: undefined, apiToken: undefined }, /sources\[0\]\.url: required: give url and apiToken, or exportDir, or both/],
    [{ customMappings: { 'a.b': 'not a name!' } }, /sources\[0\]\.customMappings\.a\.b/],
    [{ customMappings: { 'a.b': { name: 'x', rollup: 'median' } } }, /sources\[0\]\.customMappings\.a\.b: .* or \{ name, upstreamUnit, rollup: sum \| avg \| min \| max \}; got \{"name":"x","rollup":"median"\}/],
    [{ descriptorsTtl: 'a while' }, /sources\[0\]\.descriptorsTtl: must be a duration like 30s/],
    [{ concurrency: 0 }, /sources\[0\]\.concurrency/],
    [{ caFile: '/nonexistent.pem' }, /sources\[0\]\.caFile: must be a readable PEM file/],
    [{ colour: 'blue' }, /sources\[0\]: unknown setting 'colour'|colour/],
  ])('refuses the config %j with a line naming the path', async (change, message) => {
    const source: Record<string, unknown> = { ...dynatraceSource(emulator), ...change };
    for (const key of Object.keys(source)) if (source[key] === undefined) delete source[key];
    // A gateway that starts after all is closed again, so a failing case leaks nothing.
    const outcome = await startGateway({ sources: [source as never] }).then(
      async (started) => started.close(),
      (error: unknown) => error,
    );
    expect(outcome).toBeInstanceOf(ConfigError);
    expect((outcome as ConfigError).message).toMatch(message);
  });
});
