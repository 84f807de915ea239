import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../helpers/redis.js';
import { runMain } from '../helpers/process.js';

function configFile(port: number, extra = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'mg-shutdown-'));
  const file = join(dir, 'gateway.yaml');
  writeFileSync(file, `port: ${port}\nhost: 127.0.0.1\nshutdownTimeoutMs: 1500\n${extra}sources:\n  - { id: native, kind: native }\n`);
  return file;
}

describe('graceful shutdown', () => {
  it('exits 0 on SIGTERM, with idle keep-alive connections open', async () => {
    const port = await freePort();
    const gateway = runMain(['--config', configFile(port)]);
    await gateway.waitFor(/gateway listening/);
    // A keep-alive connection that already finished a request must not hold the process open.
    const socket = connect(port, '127.0.0.1');
    socket.write('GET /ready HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
    await new Promise((resolve) => socket.once('data', resolve));

    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toBe(0);
    expect(gateway.output()).toMatch(/"msg":"gateway stopped"/);
    expect(gateway.output()).not.toMatch(/shutdown deadline passed/);
    socket.destroy();
  });

  it('cuts a stalled request at the shutdown deadline and still exits 0', async () => {
    const port = await freePort();
    const gateway = runMain(['--config', configFile(port)]);
    await gateway.waitFor(/gateway listening/);
    // Half a request: the server is waiting for the rest and the connection is not idle.
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => {});
    socket.write('POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"qu');
    await new Promise((resolve) => setTimeout(resolve, 200));

    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toBe(0);
    expect(gateway.output()).toMatch(/shutdown deadline passed/);
  });
});

describe('configuration errors at start', () => {
  it('prints one line per problem with its path and exits non-zero', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mg-config-'));
    const file = join(dir, 'gateway.yaml');
    writeFileSync(file, [
      'port: 99999',
      'colour: blue',
      'sources:',
      '  - { id: native, kind: native, maxSeries: -1 }',
      '  - { id: native, kind: native }',
      '  - { id: dt, kind: nosuchkind }',
      '  - { id: "${MG_TEST_UNSET_VARIABLE}", kind: native }',
    ].join('\n'));
    const gateway = runMain(['--config', file]);
    expect(await gateway.exited).toBe(2);
    const output = gateway.output();
    expect(output).toContain(`invalid configuration in ${file}`);
    expect(output).toMatch(/sources\[3\]\.id: environment variable MG_TEST_UNSET_VARIABLE is not set/);
    expect(output).toMatch(/port: /);
    expect(output).toMatch(/\(root\): unknown setting 'colour'/);
    expect(output).toMatch(/sources\[0\]\.maxSeries: /);
    expect(output).toMatch(/sources\[1\]\.id: 'native' is already used by sources\[0\]/);
    expect(output).toMatch(/sources\[2\]\.kind: /);
  });

  it('names an unreadable file', async () => {
    const gateway = runMain([], { GATEWAY_CONFIG: '/nonexistent/gateway.yaml' });
    expect(await gateway.exited).toBe(2);
    expect(gateway.output()).toMatch(/invalid configuration in \/nonexistent\/gateway.yaml:\n\s+cannot read the file: ENOENT/);
  });
});
