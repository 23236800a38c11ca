/**
 * `tsx tests/elasticsearch/main.ts [--secure] [--port N]` runs a real Elasticsearch node until interrupted;
 * `--fetch-only` just resolves and unpacks the distribution (CI does this before the tests).
 */
import { ensureDistribution, startElasticsearch, ES_VERSION } from './es-runner';

async function main(args: string[]): Promise<void> {
  if (args.includes('--fetch-only')) {
    process.stdout.write(`Elasticsearch ${ES_VERSION} distribution ready at ${ensureDistribution()}\n`);
    return;
  }
  const portArg = args.indexOf('--port');
  const es = await startElasticsearch({
    secure: args.includes('--secure'),
    port: portArg >= 0 ? Number(args[portArg + 1]) : undefined,
  });
  process.stdout.write(`Elasticsearch ${es.version} ready at ${es.url}${es.secure ? ` (user elastic / ${es.password}, CA ${es.caFile})` : ''}\n`);
  const stop = async () => {
    await es.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main(process.argv.slice(2)).catch((err) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
});
