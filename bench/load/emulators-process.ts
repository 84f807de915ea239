/**
 * The three vendor emulators (Darktrace, Argus, Dynatrace) in a process of their own, each over
 * HTTPS and each behind a replaying front (replay-upstream.ts) that answers with a fixed added
 * latency, so neither the load generator's event loop nor the emulators' own compute shows up in
 * the gateway's numbers. Started by bench/gateway-load.ts with IPC:
 *
 *   argv[2] = added latency in ms (default 2)
 *   argv[3] = 'live' to skip the replaying fronts: every request is computed by the emulator
 *             (which then adds the latency itself)
 *
 * Sends `{ type: 'ready', sources, devices, dynatrace }` (gateway source configs for the three,
 * two Darktrace device ids, and the Dynatrace URL and token for calling it directly), and answers
 * `{ type: 'counts' }` with `{ type: 'counts', darktrace, argus, dynatrace }` (requests received
 * since start or the last `{ type: 'reset' }`), and `{ type: 'calls' }` with every request since
 * the last reset: what was asked, and when.
 */
import { startArgusEmulator } from '../../src/emulators/argus/index.js';
import { argusSourceFor } from '../../src/emulators/argus/source-config.js';
import { DarktraceEmulator, EMULATOR_TOKENS } from '../../src/emulators/darktrace/emulator.js';
import { DYNATRACE_TOKENS, EMULATOR_CERT_FILE, startDynatraceEmulator } from '../../src/emulators/dynatrace/index.js';
import { startReplayUpstream, type ReplayUpstream } from './replay-upstream.js';

export interface EmulatorsReady {
  type: 'ready';
  sources: Array<Record<string, unknown>>;
  devices: string[];
  dynatrace: { url: string; token: string };
}

export interface UpstreamCounts {
  type: 'counts';
  darktrace: number;
  argus: number;
  dynatrace: number;
}

export interface UpstreamCalls {
  type: 'calls';
  calls: Array<{ upstream: string; path: string; at: number }>;
}

const latencyMs = Number(process.argv[2] ?? 2);
const live = process.argv[3] === 'live';
const emulatorLatency = live ? latencyMs : 0;
// The Darktrace emulator takes its delay as a setting; the others through the shell's latencyMs.
const darktrace = await DarktraceEmulator.start({ seed: 7, settings: { delayMs: emulatorLatency } });
const argus = await startArgusEmulator({ now: Date.now(), hours: 24, latencyMs: emulatorLatency });
const dynatrace = await startDynatraceEmulator({ latencyMs: emulatorLatency });

/** The same counting interface over a replaying front or an emulator's own request log. */
interface Counted {
  url: string;
  count(): number;
  calls(): Array<{ path: string; at: number }>;
  reset(): void;
  close(): Promise<void>;
}

const fromReplay = (replay: ReplayUpstream, emulator: { close(): Promise<void> }): Counted => ({
  url: replay.url,
  count: () => replay.count,
  calls: () => replay.log.map((entry) => ({ path: entry.key, at: entry.at })),
  reset: () => replay.reset(),
  close: async () => {
    await replay.close();
    await emulator.close();
  },
});

const fromShell = (shell: { url: string; count(): number; requests: ReadonlyArray<{ method: string; rawPath: string; body: string; receivedAt: number }>; resetCount?(): void; reset?(): void }, close: () => Promise<void>): Counted => ({
  url: shell.url,
  count: () => shell.count(),
  calls: () => shell.requests.map((request) => ({ path: `${request.method} ${request.rawPath} ${request.body}`, at: request.receivedAt })),
  reset: () => (shell.reset ? shell.reset() : shell.resetCount!()),
  close,
});

const upstreams: Record<'darktrace' | 'argus' | 'dynatrace', Counted> = live
  ? {
      darktrace: fromShell(darktrace, () => darktrace.close()),
      argus: fromShell(argus.server, () => argus.close()),
      dynatrace: fromShell(dynatrace.server, () => dynatrace.close()),
    }
  : {
      darktrace: fromReplay(await startReplayUpstream(darktrace.url, latencyMs), darktrace),
      argus: fromReplay(await startReplayUpstream(argus.url, latencyMs), argus),
      dynatrace: fromReplay(await startReplayUpstream(dynatrace.url, latencyMs), dynatrace),
    };

const ready: EmulatorsReady = {
  type: 'ready',
  sources: [
    { id: 'darktrace', kind: 'darktrace', url: upstreams.darktrace.url, ...EMULATOR_TOKENS, caFile: EMULATOR_CERT_FILE },
    argusSourceFor(upstreams.argus.url) as Record<string, unknown>,
    { id: 'dynatrace', kind: 'dynatrace', url: upstreams.dynatrace.url, apiToken: DYNATRACE_TOKENS.read, caFile: EMULATOR_CERT_FILE },
  ],
  devices: darktrace.devices.slice(0, 2).map((device) => String(device.did)),
  dynatrace: { url: upstreams.dynatrace.url, token: DYNATRACE_TOKENS.read },
};

process.on('message', (message: { type: string }) => {
  if (message.type === 'counts') {
    const counts: UpstreamCounts = { type: 'counts', darktrace: upstreams.darktrace.count(), argus: upstreams.argus.count(), dynatrace: upstreams.dynatrace.count() };
    process.send!(counts);
  } else if (message.type === 'reset') {
    Object.values(upstreams).forEach((upstream) => upstream.reset());
    process.send!({ type: 'reset' });
  } else if (message.type === 'calls') {
    const calls: UpstreamCalls = {
      type: 'calls',
      calls: Object.entries(upstreams).flatMap(([name, upstream]) => upstream.calls().map((call) => ({ upstream: name, ...call }))),
    };
    process.send!(calls);
  } else if (message.type === 'close') {
    void Promise.allSettled(Object.values(upstreams).map((upstream) => upstream.close())).finally(() => process.exit(0));
  }
});
process.send!(ready);
// The bench process ended (or crashed): nothing is left to serve.
process.on('disconnect', () => process.exit(0));
