import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

/**
 * A server that misbehaves on purpose, one way per path, run by test/abuse/corpus-harness.test.ts
 * through AbuseGateway to prove the abuse properties catch each failure. Like src/main.ts it takes
 * `--config <file>` and listens on the file's port; /livez answers 200 whenever its loop is free.
 *
 *   /ok      200 with a small JSON body
 *   /stall   blocks the event loop for ?ms= milliseconds, then 200
 *   /slow    answers after ?ms= milliseconds, the loop free meanwhile
 *   /fail    500
 *   /masked  200 carrying the gateway's masked error
 *   /echo    200 with an error message of ?chars= characters
 *   /grow    holds ?mb= megabytes of touched memory for a moment, then 200
 *   /exit    the process ends before answering
 */
const config = JSON.parse(readFileSync(process.argv[process.argv.indexOf('--config') + 1]!, 'utf8')) as { port: number; host: string };
const held: Buffer[] = [];

const server = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://x');
  const number = (name: string) => Number(url.searchParams.get(name) ?? 0);
  const json = (status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  request.resume();
  switch (url.pathname) {
    case '/livez':
    case '/ok':
      return json(200, { data: { ok: true } });
    case '/stall': {
      const until = Date.now() + number('ms');
      while (Date.now() < until);
      return json(200, { data: { stalled: true } });
    }
    case '/slow':
      setTimeout(() => json(200, { data: { slow: true } }), number('ms'));
      return;
    case '/fail':
      return json(500, { errors: [{ message: 'boom' }] });
    case '/masked':
      return json(200, { errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }], data: null });
    case '/echo':
      return json(200, { errors: [{ message: 'x'.repeat(number('chars')), extensions: { code: 'BAD_USER_INPUT' } }] });
    case '/grow':
      held.push(Buffer.alloc(number('mb') * 1024 * 1024, 1));
      setTimeout(() => {
        held.length = 0;
        json(200, { data: { grew: true } });
      }, 200);
      return;
    case '/exit':
      process.exit(3);
    default:
      return json(404, { errors: [{ message: 'no such path' }] });
  }
});
server.listen(config.port, config.host);
