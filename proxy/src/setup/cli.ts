/** `proxy setup [--dry-run] [--create-users] [--write-provisioning DIR] [--proxy-url URL]`, or `proxy setup --scan-secrets [--apply]` */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config';
import { ElasticsearchClient } from '../clients/elasticsearch';
import { redactorFromConfig } from '../redaction';
import { scanSecrets } from '../redaction/index-scan';
import { formatSecretScan, secretsRemain } from '../redaction/scan-report';
import { formatSetupResult } from './report';
import { runSetup } from './run-setup';

const USAGE = 'Usage: proxy setup [--dry-run] [--create-users] [--write-provisioning DIR] [--proxy-url URL]\n       proxy setup --scan-secrets [--apply]';

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
        'scan-secrets': { type: 'boolean', default: false },
        apply: { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}\n${USAGE}`);
  }
  const { values } = parsed;
  const setupFlags = values['dry-run'] || values['create-users'] || values['write-provisioning'] !== undefined || values['proxy-url'] !== undefined;
  if (values.apply && !values['scan-secrets']) {
    throw new ConfigError(`--apply belongs to --scan-secrets.\n${USAGE}`);
  }
  if (values['scan-secrets'] && setupFlags) {
    throw new ConfigError(`--scan-secrets is a run of its own (dry by default; --apply rewrites).\n${USAGE}`);
  }
  const config = loadConfig();
  const es = new ElasticsearchClient(config.elasticsearch);
  try {
    if (values['scan-secrets']) {
      // The same rules and fingerprint key as the running proxy, so rewritten documents match newly indexed ones.
      const scan = await scanSecrets({ config, es, redactor: redactorFromConfig(config) }, { apply: values.apply });
      process.stdout.write(formatSecretScan(scan));
      process.exitCode = secretsRemain(scan) ? 1 : 0;
      return;
    }
    const { result, users } = await runSetup(
      { config, es },
      {
        dryRun: values['dry-run'],
        createUsers: values['create-users'],
        provisioningDir: values['write-provisioning'],
        proxyUrl: values['proxy-url'],
      }
    );
    process.stdout.write(formatSetupResult(result, users));
    process.exitCode = result.ok ? 0 : 1;
  } finally {
    await es.close();
  }
}
