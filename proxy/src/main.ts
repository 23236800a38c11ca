/**
 * Entry point: `proxy [serve]` runs the service; other commands are one-shot tools.
 *   npm run proxy                 # serve
 *   npm run proxy -- setup        # Elasticsearch template + retention [--dry-run] [--create-users] [--write-provisioning DIR]
 *   npm run proxy -- doctor       # test message through every enabled source of the running proxy
 */
import { buildProxyServer, createLimitSampler, createProxyParts, ingestDeps } from './compose';
import { ConfigError, loadConfig } from './config';
import { doctorCommand } from './doctor/cli';
import { createLogger } from './logger';
import { startIngest } from './pipeline';
import { setupCommand } from './setup/cli';
import { fingerprintKeyFile, loadFingerprintKey, redactorFromConfig } from './redaction';
import { boundAddress } from './sources/bound-address';

const SHUTDOWN_GRACE_MS = 5000;

async function serve(): Promise<void> {
  const config = loadConfig();
  // An unreadable or uncreatable fingerprint key stops the start, not the first event carrying a secret.
  loadFingerprintKey(fingerprintKeyFile(config));
  const redactor = redactorFromConfig(config);
  const logger = createLogger(config.logLevel, undefined, redactor);
  const parts = createProxyParts(config, logger, redactor);
  const { operations, es } = parts;
  // Setup (template, retention) before ingest, so the day's first index is created with our mapping.
  await operations.start();
  const ingest = await startIngest(ingestDeps(parts));
  const limitSampler = createLimitSampler(parts);
  limitSampler.start();
  const app = await buildProxyServer(parts, ingest);
  await app.listen({ host: config.server.host, port: config.server.port });
  operations.attach({
    sources: ingest.sources,
    http: boundAddress(app.server.address(), config.server),
    splunk: ingest.splunkStatus,
  });
  operations.attachLimitHistory(limitSampler);

  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await app.close();
    await limitSampler.stop();
    await operations.stop();
    // In-flight bulk requests get a few seconds; whatever is not acknowledged replays from the queue on next start.
    await ingest.stop({ graceMs: SHUTDOWN_GRACE_MS });
    await es.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

const COMMANDS: Record<string, (args: string[]) => Promise<void>> = {
  serve: () => serve(),
  setup: setupCommand,
  doctor: doctorCommand,
};

async function main(argv: string[]): Promise<void> {
  const [command = 'serve', ...args] = argv;
  const run = COMMANDS[command];
  if (!run) {
    throw new ConfigError(`Unknown command "${command}". Commands: ${Object.keys(COMMANDS).join(', ')}`);
  }
  await run(args);
}

main(process.argv.slice(2)).catch((err) => {
  // A bad config is the user's to fix: print the message, not a stack.
  process.stderr.write(`${err instanceof ConfigError ? err.message : (err as Error).stack}\n`);
  process.exit(err instanceof ConfigError ? 2 : 1);
});
