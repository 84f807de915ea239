import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLError, type ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import { routeFor, shownTarget, targetPath } from './routes.js';

/** The answer when checking an upgrade failed (Redis has its own fallback; this is for the unforeseen). */
const UNCHECKED: UpgradeRefusal = { status: 503, body: { detail: 'the WebSocket upgrade could not be checked; retry', code: 'UPSTREAM_UNAVAILABLE' } };

/** An upgrade refused before the handshake: a plain HTTP answer. */
export interface UpgradeRefusal {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

export interface WebSocketOptions {
  /** The GraphQL path; an upgrade to any other target is 404 (the same route table as HTTP). */
  graphqlPath: string;
  /** Ping interval that keeps idle sockets open through proxies. @default 12000 */
  keepAliveMs?: number;
  /** Checks an upgrade before the handshake (throttled address, rate limit). @default every upgrade admitted */
  admit?: (upgrade: IncomingMessage) => Promise<UpgradeRefusal | undefined>;
  /**
   * Authenticates a connection from its upgrade request (headers) and connection_init payload and
   * binds the identity to `request`; rejects to refuse it. The socket closes with the close code
   * the error carries as `closeCode` (4429 for a throttled address), else 4403 Forbidden.
   */
  authenticate?: (request: Request, connectionParams: Readonly<Record<string, unknown>> | undefined, upgrade: IncomingMessage) => Promise<void>;
  /** Checks each subscribe before it runs (rate limit); an error fails that operation only. @default every operation runs */
  beforeOperation?: (request: Request, upgrade: IncomingMessage) => Promise<GraphQLError | undefined>;
}

/**
 * graphql-ws (the graphql-transport-ws protocol) on the same port and path as HTTP. Upgrades are
 * taken here, not by ws's own path match, so they pass the same route table and door checks as
 * HTTP requests before any handshake. Operations go through yoga's envelop pipeline
 * (`getEnveloped`), so every plugin (limits, errors) applies to WebSocket operations exactly as to
 * HTTP ones. The context gets a Request built from the upgrade request, so context code reads
 * headers the same way for both transports.
 */
export function attachWebSocket(server: Server, yoga: YogaServerInstance<any, any>, options: WebSocketOptions) {
  const wss = new WebSocketServer({ noServer: true });
  const onUpgrade = (upgrade: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    void (async () => {
      const target = upgrade.url ?? '';
      if (routeFor(target, options.graphqlPath)?.name !== 'graphql') {
        const detail = `no WebSocket route at ${JSON.stringify(shownTarget(targetPath(target)))}; GraphQL is at ${options.graphqlPath}`;
        refuseUpgrade(socket, { status: 404, body: { detail, code: 'NOT_FOUND' } });
        return;
      }
      const refused = await options.admit?.(upgrade);
      if (refused) {
        refuseUpgrade(socket, refused);
        return;
      }
      wss.handleUpgrade(upgrade, socket, head, (ws) => wss.emit('connection', ws, upgrade));
    })().catch(() => refuseUpgrade(socket, UNCHECKED));
  };
  server.on('upgrade', onUpgrade);

  // One Request per connection, built at connect so the identity bound to it holds for every operation.
  // Only the target's path and query are used (never the Host header, which any client can write).
  const requests = new WeakMap<object, Request>();
  const requestOf = (upgrade: IncomingMessage): Request => {
    const headers = new Headers();
    for (const [key, value] of Object.entries(upgrade.headers)) {
      if (typeof value === 'string') headers.set(key, value);
      else if (Array.isArray(value)) headers.set(key, value.join(', '));
    }
    // POST, not the upgrade's GET: an operation on an open socket is a message, and yoga's rule for
    // GET (no mutations, as a link or an <img> could send one) would refuse every mutation sent here.
    return new Request(`http://localhost${upgrade.url ?? options.graphqlPath}`, { method: 'POST', headers });
  };
  const disposable = useServer(
    {
      onConnect: async (ctx) => {
        const request = requestOf(ctx.extra.request);
        requests.set(ctx.extra.socket, request);
        if (!options.authenticate) return true;
        try {
          await options.authenticate(request, ctx.connectionParams, ctx.extra.request);
          return true;
        } catch (error) {
          const code = (error as { closeCode?: unknown }).closeCode;
          // graphql-ws then closes with 4403, which ws ignores on a socket already closing.
          if (typeof code === 'number') ctx.extra.socket.close(code, closeReason((error as Error).message));
          return false;
        }
      },
      execute: (args: ExecutionArgs) => (args as unknown as EnvelopedArgs).rootValue.execute(args) as never,
      subscribe: (args: ExecutionArgs) => (args as unknown as EnvelopedArgs).rootValue.subscribe(args) as never,
      onSubscribe: async (ctx, _id, params) => {
        const upgrade = ctx.extra.request;
        const request = requests.get(ctx.extra.socket) ?? requestOf(upgrade);
        const refused = await options.beforeOperation?.(request, upgrade);
        if (refused) return [refused];
        const enveloped = yoga.getEnveloped({ ...ctx, req: upgrade, socket: ctx.extra.socket, params, request });
        const { schema, execute, subscribe, contextFactory, parse, validate } = enveloped;
        // A refused document (syntax, or a limit checked at parse) is an error for this operation, not a 4500 close of the socket.
        let document: ReturnType<typeof parse>;
        try {
          document = parse(params.query);
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        const errors = validate(schema, document);
        if (errors.length > 0) return errors;
        return {
          schema,
          operationName: params.operationName,
          document,
          variableValues: params.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
      },
    },
    wss,
    options.keepAliveMs ?? 12_000,
  );
  return {
    /** Completes every operation and closes each socket with 1001 (going away). */
    async close(): Promise<void> {
      server.off('upgrade', onUpgrade);
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** A WebSocket close reason may hold 123 bytes. */
function closeReason(message: string): string {
  return Buffer.byteLength(message) <= 123 ? message : `${Buffer.from(message).subarray(0, 119).toString().replace(/\uFFFD$/, '')}...`;
}

function refuseUpgrade(socket: Duplex, { status, headers = {}, body }: UpgradeRefusal): void {
  if (socket.destroyed) return;
  const text = JSON.stringify(body);
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
    'Connection: close',
    'Content-Type: application/json; charset=utf-8',
    'Cache-Control: no-store',
    `Content-Length: ${Buffer.byteLength(text)}`,
    ...Object.entries(headers).map(([key, value]) => `${key}: ${value}`),
  ];
  socket.end(`${lines.join('\r\n')}\r\n\r\n${text}`);
}

interface EnvelopedArgs {
  rootValue: { execute: (args: ExecutionArgs) => unknown; subscribe: (args: ExecutionArgs) => unknown };
}
