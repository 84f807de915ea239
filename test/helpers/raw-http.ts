import { connect } from 'node:net';

/** The headers of a WebSocket upgrade request speaking graphql-ws. */
export const UPGRADE_HEADERS: Readonly<Record<string, string>> = {
  upgrade: 'websocket',
  connection: 'Upgrade',
  'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
  'sec-websocket-version': '13',
  'sec-websocket-protocol': 'graphql-transport-ws',
};

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * One HTTP/1.1 request written byte for byte over a socket, so the request target reaches the
 * server exactly as given: fetch and WebSocket clients resolve `..`, `//` and backslashes before
 * sending, which is not what an attacker's client does. Reads until the server closes, or until
 * the head of a streaming answer (SSE, 101 Switching Protocols) is in, then closes itself.
 */
export function rawRequest(
  url: string,
  target: string,
  { method = 'GET', headers = {}, body, localAddress }: { method?: string; headers?: Record<string, string>; body?: string; localAddress?: string } = {},
): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  const lines = [`${method} ${target} HTTP/1.1`, `Host: ${headers.host ?? `${hostname}:${port}`}`, 'Connection: close'];
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() !== 'host') lines.push(`${key}: ${value}`);
  if (body !== undefined) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return new Promise((resolve, reject) => {
    // A loopback address other than 127.0.0.1 (any of 127/8 on Linux) poses as another client.
    const socket = connect({ port: Number(port), host: hostname, ...(localAddress ? { localAddress } : {}) });
    let data = '';
    const finish = () => {
      socket.destroy();
      resolve(parse(data));
    };
    // One character per byte, so chunk sizes count right; the body is decoded as UTF-8 at the end.
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      data += chunk;
      // A stream never ends on its own: its head (and first bytes) is the answer.
      if (/^HTTP\/1\.1 101 /.test(data) || (/\r\n\r\n/.test(data) && /content-type: text\/event-stream/i.test(data.split('\r\n\r\n')[0]!))) finish();
    });
    socket.on('end', finish);
    socket.on('error', (error) => (data ? finish() : reject(error)));
    socket.write(`${lines.join('\r\n')}\r\n\r\n${body ?? ''}`);
  });
}

function parse(data: string): RawAnswer {
  const split = data.indexOf('\r\n\r\n');
  const head = split === -1 ? data : data.slice(0, split);
  let body = split === -1 ? '' : data.slice(split + 4);
  const [statusLine, ...headerLines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  if (headers['transfer-encoding'] === 'chunked') body = unchunk(body);
  body = Buffer.from(body, 'latin1').toString('utf8');
  return { status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '')?.[1] ?? 0), headers, body };
}

function unchunk(body: string): string {
  let out = '';
  let rest = body;
  for (;;) {
    const end = rest.indexOf('\r\n');
    if (end === -1) return out + rest;
    const size = parseInt(rest.slice(0, end), 16);
    if (!size) return out;
    out += rest.slice(end + 2, end + 2 + size);
    rest = rest.slice(end + 2 + size + 2);
  }
}
