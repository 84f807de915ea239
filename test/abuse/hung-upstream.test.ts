import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_TOKENS } from '../../src/emulators/darktrace/emulator.js';
import { argusSourceFor } from '../../src/emulators/argus/source-config.js';
import { DYNATRACE_TOKENS } from '../../src/emulators/dynatrace/index.js';
import type { GatewayConfigInput } from '../../src/config/schema.js';
import type { Gateway } from '../../src/gateway.js';
import { fencedBlocks } from '../helpers/fenced-blocks.js';
import { gql, startGateway, type GraphQLResponse } from '../helpers/gateway.js';
import { startHungPeer, type HungPeer } from '../helpers/hung-peer.js';

/**
 * A vendor that accepts the connection and never answers (or never finishes the TLS handshake)
 * costs a request at most its deadline: the hung source's fields fail with GATEWAY_TIMEOUT, its
 * discovery too, and the native source's field in the same request still has its data.
 *
 * The bound is the request deadline plus a margin of the same length again, for a busy CI
 * machine; a request held by the source's own timeout and retries (20 s by default, 30 s before)
 * or by a discovery call not tied to the request is far past it.
 */
const DEADLINE_MS = 1500;
const DUE_MS = DEADLINE_MS * 2;

type SourceInput = GatewayConfigInput['sources'][number];

const KINDS: Array<{ kind: string; source: (url: string) => SourceInput; metric: string; discovers: boolean }> = [
  { kind: 'darktrace', source: (url) => ({ id: 'hung', kind: 'darktrace', url, ...EMULATOR_TOKENS }), metric: 'connections', discovers: true },
  // Argus publishes no discovery: its metric list is the configured descriptors, and answers.
  { kind: 'argus', source: (url) => argusSourceFor(url, { id: 'hung' }), metric: 'netstats.packages', discovers: false },
  {
    kind: 'dynatrace',
    source: (url) => ({ id: 'hung', kind: 'dynatrace', url, apiToken: DYNATRACE_TOKENS.read }),
    metric: 'builtin:host.cpu.usage',
    discovers: true,
  },
];

/** The request docs/deadlines.md shows: the hung source's data and discovery, the native source's data, every source's health. */
const QUERY = fencedBlocks('docs/deadlines.md', 'graphql')[0]!;

function errorAt(response: GraphQLResponse, path: string) {
  return response.errors?.find((error) => error.path?.[0] === path);
}

describe.each(KINDS)('a hung $kind source', ({ source, metric, discovers }) => {
  let peer: HungPeer;
  beforeAll(async () => {
    peer = await startHungPeer();
  });
  afterAll(() => peer.close());

  describe.each(['http', 'https'] as const)('over %s', (scheme) => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await startGateway({ requestDeadlineMs: DEADLINE_MS, sources: [{ id: 'native', kind: 'native' }, source(peer.url(scheme))] });
      await gql(gateway, 'mutation { trackMetric(source: "native", input: { name: "uptime_ratio", value: 0.999 }) { success } }');
    });
    afterAll(() => gateway.close());

    it('costs the request at most its deadline; the native field answers, the hung fields are GATEWAY_TIMEOUT', async () => {
      const before = peer.accepted;
      const started = performance.now();
      const response = await gql(gateway, QUERY, { metric });
      const elapsed = performance.now() - started;

      expect(elapsed).toBeLessThan(DUE_MS);
      expect(peer.accepted).toBeGreaterThan(before);
      expect(response.status).toBe(200);
      expect(response.data!.native).toEqual([{ values: [0.999] }]);
      expect(response.data!.hung).toBeNull();
      expect(errorAt(response, 'hung')!.extensions).toMatchObject({ code: 'GATEWAY_TIMEOUT', source: 'hung' });
      expect(response.data!.everywhere).toContainEqual({ source: 'native', name: 'uptime_ratio' });
      expect(response.data!.sources).toEqual([{ id: 'native', healthy: true }, { id: 'hung', healthy: false }]);
      if (discovers) {
        expect(response.data!.listed).toBeNull();
        expect(errorAt(response, 'listed')!.extensions).toMatchObject({ code: 'GATEWAY_TIMEOUT', source: 'hung' });
        expect(errorAt(response, 'everywhere')!.extensions).toMatchObject({ code: 'GATEWAY_TIMEOUT', source: 'hung' });
      } else {
        expect(response.data!.listed).toContainEqual({ name: metric });
      }
      // Nothing else failed: no masked error, no other code.
      expect(response.errors!.map((error) => error.extensions?.code)).toEqual(expect.arrayContaining(['GATEWAY_TIMEOUT']));
      expect(response.errors!.every((error) => error.extensions?.code === 'GATEWAY_TIMEOUT')).toBe(true);
    });
  });
});
