import type { Server } from 'node:http';
import { GraphQLError, type ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer } from 'ws';

export interface WebSocketOptions {
  /** Ping interval that keeps idle sockets open through proxies. @default 12000 */
  keepAliveMs?: number;
  /**
   * Authenticates a connection from its upgrade request (headers) and connection_init payload;
   * rejects to refuse it (the socket closes with 4403 Forbidden).
   */
  authenticate?: (request: Request, connectionParams: Readonly<Record<string, unknown>> | undefined) => Promise<void>;
}

/**
 * graphql-ws (the graphql-transport-ws protocol) on the same port and path as HTTP. Operations go
 * through yoga's envelop pipeline (`getEnveloped`), so every plugin (limits, auth, errors) applies
 * to WebSocket operations exactly as to HTTP ones. The context gets a Request built from the
 * upgrade request, so context code reads headers the same way for both transports.
 */
export function attachWebSocket(server: Server, yoga: YogaServerInstance<any, any>, options: WebSocketOptions = {}) {
  const wss = new WebSocketServer({ server, path: yoga.graphqlEndpoint });
  // One Request per connection, built at connect so the identity bound to it holds for every operation.
  const requests = new WeakMap<object, Request>();
  const requestOf = (upgrade: import('node:http').IncomingMessage): Request => {
    const headers = new Headers();
    for (const [key, value] of Object.entries(upgrade.headers)) {
      if (typeof value === 'string') headers.set(key, value);
      else if (Array.isArray(value)) headers.set(key, value.join(', '));
    }
    return new Request(`http://${upgrade.headers.host ?? 'localhost'}${upgrade.url ?? yoga.graphqlEndpoint}`, { headers });
  };
  const disposable = useServer(
    {
      onConnect: async (ctx) => {
        const request = requestOf(ctx.extra.request);
        requests.set(ctx.extra.socket, request);
        if (!options.authenticate) return true;
        try {
          await options.authenticate(request, ctx.connectionParams);
          return true;
        } catch {
          return false;
        }
      },
      execute: (args: ExecutionArgs) => (args as unknown as EnvelopedArgs).rootValue.execute(args) as never,
      subscribe: (args: ExecutionArgs) => (args as unknown as EnvelopedArgs).rootValue.subscribe(args) as never,
      onSubscribe: async (ctx, _id, params) => {
        const upgrade = ctx.extra.request;
        const request = requests.get(ctx.extra.socket) ?? requestOf(upgrade);
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({ ...ctx, req: upgrade, socket: ctx.extra.socket, params, request });
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
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

interface EnvelopedArgs {
  rootValue: { execute: (args: ExecutionArgs) => unknown; subscribe: (args: ExecutionArgs) => unknown };
}
