/** `proxy setup [--dry-run] [--create-users] [--write-provisioning DIR] [--proxy-url URL]` */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config';
import { ElasticsearchClient } from '../clients/elasticsearch';
import { formatSetupResult } from './report';
import { runSetup } from './run-setup';

export async function setupCommand(args: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        'dry-run': { type: 'boolean', default: false },
        'create-users': { type: 'boolean', default: false },
        'write-provisioning': { type: 'string' },
        'proxy-url': { type: 'string' },
      },
    });
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}\nUsage: proxy setup [--dry-run] [--create-users] [--write-provisioning DIR] [--proxy-url URL]`);
  }
  const config = loadConfig();
  const es = new ElasticsearchClient(config.elasticsearch);
  try {
    const { result, users } = await runSetup(
      { config, es },
      {
        dryRun: parsed.values['dry-run'],
        createUsers: parsed.values['create-users'],
        provisioningDir: parsed.values['write-provisioning'],
        proxyUrl: parsed.values['proxy-url'],
      }
    );
    process.stdout.write(formatSetupResult(result, users));
    process.exitCode = result.ok ? 0 : 1;
  } finally {
    await es.close();
  }
}
