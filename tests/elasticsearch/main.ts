/**
 * `tsx tests/elasticsearch/main.ts [--engine ID] [--secure] [--port N]` runs a real search engine (default: one
 * Elasticsearch 8 node; ids in engines.ts, e.g. `opensearch-2.19.6`, `elasticsearch-8.19.21-3-nodes`) until interrupted
 * (Ctrl-C or SIGTERM stop every node and remove its temp dir). `--fetch-only` just resolves and unpacks every
 * distribution the test command uses.
 */
import { stopWhenOrphaned } from '../support/lifecycle';
import { DEFAULT_ENGINE, distributionsInUse, engineById, productName } from './engines';
import { ensureDistribution, startEngine } from './es-runner';

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

async function main(args: string[]): Promise<void> {
  if (args.includes('--fetch-only')) {
    for (const distribution of distributionsInUse()) {
      process.stdout.write(`${productName(distribution.product)} ${distribution.version} distribution ready at ${ensureDistribution(distribution)}\n`);
    }
    return;
  }
  stopWhenOrphaned();
  const engine = engineById(option(args, '--engine') ?? DEFAULT_ENGINE.id);
  const port = option(args, '--port');
  const running = await startEngine({
    distribution: engine.distribution,
    nodes: engine.nodes,
    secure: args.includes('--secure'),
    port: port ? Number(port) : undefined,
  });
  process.stdout.write(
    `${productName(running.product)} ${running.version} ready at ${running.urls.join(',')}` +
      `${running.secure ? ` (user elastic / ${running.password}, CA ${running.caFile})` : ''}\n`
  );
}

main(process.argv.slice(2)).catch((err) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
});
