import type { Server } from 'node:http';
import type { ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer } from 'ws';

export interface WebSocketOptions {
  /** Ping interval that keeps idle sockets open through proxies. @default 12000 */
  keepAliveMs?: number;
}

/**
 * graphql-ws (the graphql-transport-ws protocol) on the same port and path as HTTP. Operations go
 * through yoga's envelop pipeline (`getEnveloped`), so every plugin (limits, auth, errors) applies
 * to WebSocket operations exactly as to HTTP ones. The context gets a Request built from the
 * upgrade request, so context code reads headers the same way for both transports.
 */
export function attachWebSocket(server: Server, yoga: YogaServerInstance<any, any>, options: WebSocketOptions = {}) {
  const wss = new WebSocketServer({ server, path: yoga.graphqlEndpoint });
  const disposable = useServer(
    {
      execute: (args: ExecutionArgs) => (args as unknown as EnvelopedArgs).rootValue.execute(args) as never,
      subscribe: (args: ExecutionArgs) => (args as unknown as EnvelopedArgs).rootValue.subscribe(args) as never,
      onSubscribe: async (ctx, _id, params) => {
        const upgrade = ctx.extra.request;
        const headers = new Headers();
        for (const [key, value] of Object.entries(upgrade.headers)) {
          if (typeof value === 'string') headers.set(key, value);
          else if (Array.isArray(value)) headers.set(key, value.join(', '));
        }
        const request = new Request(`http://${upgrade.headers.host ?? 'localhost'}${upgrade.url ?? yoga.graphqlEndpoint}`, { headers });
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({ ...ctx, req: upgrade, socket: ctx.extra.socket, params, request });
        const document = parse(params.query);
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
