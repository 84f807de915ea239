import { ConfigError, configFile, loadConfig } from './config/load.js';
import { startDemoUpstreams, type DemoUpstreams } from './emulators/demo.js';
import { createGateway } from './gateway.js';
import { limitHeapGrowth } from './heap-growth.js';

/**
 * Command line: `npm start [-- --config gateway.yaml]`. A bad config prints one line per problem
 * and exits 2. SIGTERM or SIGINT stop the gateway gracefully; a second signal exits at once.
 */
async function main(): Promise<void> {
  limitHeapGrowth();
  // No config file: the demo, with the vendor emulators running on loopback.
  const upstreams: DemoUpstreams | undefined = configFile() ? undefined : await startDemoUpstreams();
  let config;
  try {
    config = loadConfig({ demoSources: upstreams?.sources });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }

  const gateway = await createGateway(config);
  if (config.demo) {
    gateway.log.info(`demo mode: open ${gateway.url}/graphql for GraphiQL`);
  }

  // A supervisor that died leaves stdout a dead pipe; logging must not stop the shutdown then.
  process.stdout.on('error', () => {});
  process.stderr.on('error', () => {});

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      gateway.log.warn({ signal }, 'second signal; exiting now');
      process.exit(1);
    }
    stopping = true;
    gateway.log.info({ signal }, 'shutting down');
    gateway.close().then(
      async () => {
        await upstreams?.close();
        process.exit(0);
      },
      (error: unknown) => {
        gateway.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`metric-gateway failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
