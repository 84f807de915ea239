import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { ROOT } from './process.js';

/**
 * A real gateway (`src/main.ts` with a config file) in a process of its own, so that what a
 * hostile request does to it shows: its resident set is its own (read from /proc), a stalled
 * event loop does not stall the test, and a crash or an out-of-memory death is seen as an exit
 * instead of taking the test runner down. `restart()` brings up a fresh one after a case that
 * killed or froze it, so the next case is judged on its own.
 */
export interface AbuseGatewayOptions {
  /** The config tree, as gateway.yaml would hold it (`port` and `host` are set here). */
  config: Record<string, unknown>;
  /**
   * V8's old-space cap for the child, in MB: a case that would eat gigabytes dies at this size
   * instead of taking the shared machine's memory first. @default 1024
   */
  heapLimitMb?: number;
  /** Longest start, from spawn to the first /livez answer. @default 30000 */
  startTimeoutMs?: number;
  /**
   * The script to run, given `--config <file>`; another one only to check the harness itself
   * against a server that misbehaves on purpose. @default "src/main.ts"
   */
  script?: string;
}

/** How much of the child's output is kept for failure messages. */
const OUTPUT_TAIL_CHARS = 16_384;

export class AbuseGateway {
  readonly agent = new Agent({ connections: 256, pipelining: 0, keepAliveTimeout: 1_000 });
  #child!: ChildProcess;
  #url = '';
  #output = '';
  #exit: string | undefined;
  #rssAtStart = 0;
  #exited!: Promise<void>;
  readonly #dir = mkdtempSync(join(tmpdir(), 'abuse-gateway-'));

  private constructor(readonly options: AbuseGatewayOptions) {}

  static async start(options: AbuseGatewayOptions): Promise<AbuseGateway> {
    const gateway = new AbuseGateway(options);
    await gateway.#spawn();
    return gateway;
  }

  get url(): string {
    return this.#url;
  }

  get pid(): number {
    return this.#child.pid!;
  }

  /** Why the process ended ("exit code 134", "signal SIGKILL"), or undefined while it runs. */
  get exit(): string | undefined {
    return this.#exit;
  }

  /**
   * Why the process ended, waiting up to `withinMs` for it to end: a connection reset can reach
   * the client before the parent sees the child's exit, so a failed request asks this.
   */
  async exitWithin(withinMs: number): Promise<string | undefined> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.#exited, new Promise((resolve) => (timer = setTimeout(resolve, withinMs)))]);
    clearTimeout(timer);
    return this.#exit;
  }

  /** The last lines the child wrote (stdout and stderr), for failure messages. */
  outputTail(chars = 2_000): string {
    return this.#output.slice(-chars);
  }

  /** Resident set now (VmRSS), in bytes; 0 once the process is gone. */
  rssBytes(): number {
    return this.#status('VmRSS');
  }

  /** Resident set once the current process first answered /livez, in bytes. */
  get rssAtStartBytes(): number {
    return this.#rssAtStart;
  }

  /** Peak resident set (VmHWM) since the start or the last `resetPeak()`, in bytes. */
  peakRssBytes(): number {
    return this.#status('VmHWM');
  }

  /** Linux: writing 5 to clear_refs sets the peak (VmHWM) back to the current RSS. */
  resetPeak(): boolean {
    try {
      writeFileSync(`/proc/${this.pid}/clear_refs`, '5');
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Whether the process is up and answers /livez within `withinMs`; if not, it is killed and a
   * fresh one started (same config, new port). Returns what was wrong, or undefined if nothing.
   */
  async ensureAlive(withinMs: number): Promise<string | undefined> {
    const problem = this.#exit !== undefined ? `the process had ended (${this.#exit})` : await this.#livez(withinMs);
    if (problem === undefined) return undefined;
    await this.restart();
    return problem;
  }

  async restart(): Promise<void> {
    await this.#kill();
    await this.#spawn();
  }

  async close(): Promise<void> {
    await this.#kill();
    await this.agent.close();
    rmSync(this.#dir, { recursive: true, force: true });
  }

  async #spawn(): Promise<void> {
    const port = await freePort();
    const file = join(this.#dir, 'gateway.json');
    // JSON is YAML, so the config file is the tree as it is.
    writeFileSync(file, JSON.stringify({ ...this.options.config, port, host: '127.0.0.1' }));
    this.#output = '';
    this.#exit = undefined;
    const heapLimitMb = this.options.heapLimitMb ?? 1024;
    const args = [`--max-old-space-size=${heapLimitMb}`, '--import', 'tsx', this.options.script ?? 'src/main.ts', '--config', file];
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, GATEWAY_CONFIG: '', PORT: '', REDIS_URL: '', NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    const collect = (chunk: Buffer) => {
      this.#output = (this.#output + chunk.toString()).slice(-OUTPUT_TAIL_CHARS);
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    this.#exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.#exit = signal ? `signal ${signal}` : `exit code ${code}`;
        resolve();
      }),
    );
    this.#url = `http://127.0.0.1:${port}`;
    await this.#waitUntilServing(this.options.startTimeoutMs ?? 30_000);
    this.#rssAtStart = this.rssBytes();
  }

  /** Asks /livez until it answers (the server is listening) or the process ends. */
  async #waitUntilServing(timeoutMs: number): Promise<void> {
    const giveUpAt = Date.now() + timeoutMs;
    let delayMs = 20;
    while (this.#exit === undefined) {
      if ((await this.#livez(1_000)) === undefined) return;
      if (Date.now() > giveUpAt) break;
      // Not listening yet: wait for the process to end or a little, whichever comes first.
      await Promise.race([this.#exited, new Promise((resolve) => setTimeout(resolve, delayMs))]);
      delayMs = Math.min(delayMs * 2, 250);
    }
    const why = this.#exit ?? `no /livez answer within ${timeoutMs} ms`;
    await this.#kill();
    throw new Error(`the gateway did not start (${why}); output:\n${this.outputTail()}`);
  }

  async #livez(withinMs: number): Promise<string | undefined> {
    try {
      const response = await request(`${this.#url}/livez`, { dispatcher: this.agent, signal: AbortSignal.timeout(withinMs) });
      await response.body.dump();
      return response.statusCode === 200 ? undefined : `/livez answered ${response.statusCode}`;
    } catch (error) {
      return `/livez did not answer within ${withinMs} ms (${(error as Error).message})`;
    }
  }

  async #kill(): Promise<void> {
    if (this.#exit !== undefined) return;
    this.#child.kill('SIGKILL');
    await this.#exited;
  }

  #status(field: 'VmRSS' | 'VmHWM'): number {
    try {
      const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
      return match ? Number(match[1]) * 1024 : 0;
    } catch {
      return 0;
    }
  }
}

/** A loopback port the OS considers free right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
