/**
 * `tsx tests/elasticsearch/main.ts [--secure] [--port N]` runs a real Elasticsearch node until interrupted (Ctrl-C or
 * SIGTERM stop it and remove its temp dir); `--fetch-only` just resolves and unpacks the distribution.
 */
import { stopWhenOrphaned } from '../support/lifecycle';
import { ensureDistribution, startElasticsearch, ES_VERSION } from './es-runner';

async function main(args: string[]): Promise<void> {
  if (args.includes('--fetch-only')) {
    process.stdout.write(`Elasticsearch ${ES_VERSION} distribution ready at ${ensureDistribution()}\n`);
    return;
  }
  stopWhenOrphaned();
  const portArg = args.indexOf('--port');
  const es = await startElasticsearch({
    secure: args.includes('--secure'),
    port: portArg >= 0 ? Number(args[portArg + 1]) : undefined,
  });
  process.stdout.write(`Elasticsearch ${es.version} ready at ${es.url}${es.secure ? ` (user elastic / ${es.password}, CA ${es.caFile})` : ''}\n`);
}

main(process.argv.slice(2)).catch((err) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
});
