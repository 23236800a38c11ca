/**
 * One setup run: check the cluster, then make retention, the index template and (on request) users and Grafana
 * provisioning what they should be. Idempotent: a rerun reports "unchanged". A dry run only reports the plan.
 * Every failure carries what to do about it; nothing here ever logs or returns a password.
 */
import type { ClusterInfo } from '../clients/search-engine';
import type { RetentionMode, SetupResult, SetupStep, StepOutcome } from '@shared/status-api';
import type { ElasticsearchClient } from '../clients/elasticsearch';
import type { Config } from '../config';
import { checkVersion, displayUrls, explainEsError } from '../clients/elasticsearch-errors';
import { buildIndexTemplate, templateNameFor, templateOptionsFor } from './index-template';
import { findMappingConflicts, type IndexConflict } from './mapping-conflicts';
import { describePrivileges, proxyPrivileges } from '../clients/elasticsearch-privileges';
import { buildProvisioningFiles, writeProvisioningFiles } from './provisioning';
import { buildRetentionPolicy, policyMatches, retentionPolicyNameFor } from './retention-policy';
import { templateDifferences } from './template-diff';
import { createUsers, type CreatedUser } from './users';

export interface SetupOptions {
  dryRun?: boolean;
  createUsers?: boolean;
  /** Write Grafana provisioning files here. */
  provisioningDir?: string;
  /** The proxy URL Grafana should use (provisioning). */
  proxyUrl?: string;
  now?: () => Date;
}

export interface SetupRun {
  result: SetupResult;
  /** Users made by `createUsers`; new ones carry their password, to be shown once. */
  users?: CreatedUser[];
}

export interface SetupDeps {
  config: Config;
  es: ElasticsearchClient;
}

const MAX_CONFLICTS_LISTED = 10;

export function describeConflicts(conflicts: IndexConflict[]): string {
  const listed = conflicts.slice(0, MAX_CONFLICTS_LISTED).map((c) => `${c.index}: ${c.fields.map((f) => `${f.field} is ${f.actual} (ours: ${f.expected})`).join(', ')}`);
  const more = conflicts.length > MAX_CONFLICTS_LISTED ? ` … and ${conflicts.length - MAX_CONFLICTS_LISTED} more` : '';
  return `${conflicts.length} existing ${conflicts.length === 1 ? 'index maps' : 'indices map'} our fields differently: ${listed.join('; ')}${more}.`;
}

export async function runSetup(deps: SetupDeps, options: SetupOptions = {}): Promise<SetupRun> {
  const { config, es } = deps;
  const templateName = templateNameFor(config.elasticsearch.indexPrefix);
  const policyName = retentionPolicyNameFor(config.elasticsearch.indexPrefix);
  const dry = Boolean(options.dryRun);
  const steps: SetupStep[] = [];
  const now = options.now ?? (() => new Date());
  const finish = (extra: Partial<SetupResult> = {}, users?: CreatedUser[]): SetupRun => ({
    result: { ok: !steps.some((s) => s.outcome === 'failed'), dryRun: dry, finishedAt: now().toISOString(), steps, ...extra },
    users,
  });
  const write = (exists: boolean): StepOutcome => (dry ? (exists ? 'would-update' : 'would-create') : exists ? 'updated' : 'created');
  // Until ILM is known, a 403 lists the privileges without manage_ilm.
  let ilm = false;
  const fail = (id: SetupStep['id'], title: string, err: unknown): SetupStep => {
    const problem = explainEsError(err, config.elasticsearch, proxyPrivileges(config.elasticsearch, ilm));
    const step: SetupStep = { id, title, outcome: 'failed', detail: problem.message, hint: problem.hint };
    steps.push(step);
    return step;
  };

  // 1. Reachability, TLS, credentials, product and version.
  let cluster: Pick<ClusterInfo, 'version' | 'distribution'>;
  let securityOn = false;
  try {
    const info = await es.info();
    cluster = { version: info.version, distribution: info.distribution };
    const versionProblem = checkVersion(info.version, info.distribution);
    if (versionProblem) {
      steps.push({ id: 'connect', title: 'Connect to Elasticsearch', outcome: 'failed', detail: versionProblem.message, hint: versionProblem.hint });
      return finish({ cluster });
    }
    const me = await es.authenticate();
    securityOn = Boolean(me);
    ilm = await es.hasIlm();
    steps.push({
      id: 'connect',
      title: 'Connect to Elasticsearch',
      outcome: 'ok',
      detail: `${info.distribution === 'opensearch' ? 'OpenSearch' : 'Elasticsearch'} ${info.version} at ${displayUrls(config.elasticsearch)}${me ? ` as "${me.username}"` : ' (security off)'}; ILM ${ilm ? 'available' : 'not available'}.`,
    });
  } catch (err) {
    fail('connect', 'Connect to Elasticsearch', err);
    return finish();
  }

  // 2. Privileges of the configured credentials (only meaningful with security on).
  const needed = proxyPrivileges(config.elasticsearch, ilm);
  if (securityOn && cluster.distribution === 'opensearch') {
    steps.push({
      id: 'privileges',
      title: 'Check privileges',
      outcome: 'skipped',
      detail: "OpenSearch's security plugin has no privilege check the proxy can ask; its first write or search will tell.",
      hint: `Give the proxy's user ${describePrivileges(needed)} (in the security plugin's terms: cluster_monitor, cluster_manage_index_templates, and crud, create_index, delete, manage on the indices).`,
    });
  } else if (securityOn) {
    try {
      const check = await es.hasPrivileges({ cluster: needed.cluster, index: needed.indices });
      const missingCluster = Object.entries(check.cluster).filter(([, ok]) => !ok).map(([p]) => p);
      const missingIndex = Object.entries(check.index).flatMap(([index, privs]) =>
        Object.entries(privs).filter(([, ok]) => !ok).map(([p]) => `${p} on ${index}`)
      );
      const missing = [...missingCluster, ...missingIndex];
      steps.push(
        missing.length === 0
          ? { id: 'privileges', title: 'Check privileges', outcome: 'ok', detail: 'The configured credentials have every privilege the proxy needs.' }
          : {
              id: 'privileges',
              title: 'Check privileges',
              outcome: 'failed',
              detail: `Missing privileges: ${missing.join(', ')}.`,
              hint: 'Grant them to the proxy\'s role, or run "proxy setup --create-users" as a superuser and configure the created user.',
            }
      );
    } catch (err) {
      fail('privileges', 'Check privileges', err);
    }
  }

  // 3. Retention.
  let mode: RetentionMode = config.retention.mode === 'auto' ? (ilm ? 'ilm' : 'proxy') : config.retention.mode;
  const days = config.retention.days;
  if (mode === 'ilm' && !ilm) {
    steps.push({
      id: 'retention',
      title: 'Retention',
      outcome: 'failed',
      detail: 'RETENTION_MODE=ilm, but this cluster has no index lifecycle management.',
      hint: 'Set RETENTION_MODE=auto (or proxy): the proxy then deletes expired daily indices itself.',
    });
    mode = 'off';
  } else if (mode === 'ilm') {
    try {
      const installed = await es.getIlmPolicy(policyName);
      const unchanged = installed !== undefined && policyMatches(installed, days);
      if (!unchanged && !dry) {
        await es.putIlmPolicy(policyName, buildRetentionPolicy(days));
      }
      steps.push({
        id: 'retention',
        title: 'Retention',
        outcome: unchanged ? 'unchanged' : write(installed !== undefined),
        detail: `ILM policy "${policyName}" deletes daily indices ${days} days after the date in their name.`,
      });
    } catch (err) {
      fail('retention', 'Retention', err);
    }
  } else if (mode === 'proxy') {
    steps.push({
      id: 'retention',
      title: 'Retention',
      outcome: 'ok',
      detail: `No ILM here: the proxy deletes ${config.elasticsearch.indexPrefix}YYYY.MM.dd indices older than ${days} days, checking every ${Math.round(config.retention.checkIntervalMs / 60000)} min while it runs.`,
    });
  } else {
    steps.push({ id: 'retention', title: 'Retention', outcome: 'skipped', detail: 'Retention is off (RETENTION_MODE=off): indices are kept until deleted by hand.' });
  }

  // 4. The index template.
  const template = buildIndexTemplate(config.elasticsearch.indexPrefix, {
    lifecyclePolicy: mode === 'ilm' ? policyName : undefined,
    ...templateOptionsFor(cluster),
  });
  try {
    const installed = await es.getIndexTemplate(templateName);
    const differences = installed ? templateDifferences(installed, template) : ['all'];
    if (differences.length > 0 && !dry) {
      await es.putIndexTemplate(templateName, template);
    }
    steps.push({
      id: 'template',
      title: 'Index template',
      outcome: differences.length === 0 ? 'unchanged' : write(installed !== undefined),
      detail:
        `Template "${templateName}" (priority ${template.priority}, version ${template.version}) for ${template.index_patterns.join(', ')}` +
        (installed && differences.length > 0 ? `; installed one differed in: ${differences.join(', ')}.` : '.'),
    });
  } catch (err) {
    fail('template', 'Index template', err);
  }

  // 5. Existing indices that map our fields differently.
  try {
    const conflicts = findMappingConflicts(template.template.mappings, await es.getMappings(`${config.elasticsearch.indexPrefix}*`));
    steps.push(
      conflicts.length === 0
        ? { id: 'conflicts', title: 'Existing indices', outcome: 'ok', detail: 'No existing index maps our fields differently.' }
        : {
            id: 'conflicts',
            title: 'Existing indices',
            outcome: 'warning',
            detail: describeConflicts(conflicts),
            hint:
              'A template applies only to indices created after it. Daily indices from tomorrow (UTC) get our mapping; events that ' +
              'clash with an older index (e.g. a string into an object field) are rejected there and go to the dead-letter index. ' +
              'To fix an old index now, reindex it into a new index with our mapping (POST _reindex) and delete the old one, or let retention age it out.',
          }
    );
  } catch (err) {
    fail('conflicts', 'Existing indices', err);
  }

  // 6. Users (only on request).
  let users: CreatedUser[] | undefined;
  if (options.createUsers) {
    if (cluster.distribution === 'opensearch') {
      steps.push({
        id: 'users',
        title: 'Users',
        outcome: 'skipped',
        detail: "On OpenSearch, create the proxy's user and role with the security plugin's tools.",
        hint: `The proxy's user needs ${describePrivileges(needed)}.`,
      });
    } else if (!securityOn) {
      steps.push({ id: 'users', title: 'Users', outcome: 'skipped', detail: 'Elasticsearch security is off: there are no users to create.' });
    } else if (dry) {
      steps.push({ id: 'users', title: 'Users', outcome: 'would-create', detail: 'Would create or update roles and users for the proxy (write) and for queries (read-only).' });
    } else {
      try {
        users = await createUsers(es, config.elasticsearch, ilm);
        steps.push({
          id: 'users',
          title: 'Users',
          outcome: users.some((u) => u.created) ? 'created' : 'unchanged',
          detail: users.map((u) => `${u.username} (role ${u.role}) ${u.created ? 'created' : 'exists; password unchanged'}`).join('; '),
        });
      } catch (err) {
        const step = fail('users', 'Users', err);
        step.hint = `${step.hint} To create them by hand, give the proxy's user a role with ${describePrivileges(needed)}.`;
      }
    }
  }

  // 7. Grafana provisioning (only on request): our two files, replacing earlier copies of them, nothing else.
  if (options.provisioningDir) {
    const files = buildProvisioningFiles(options.provisioningDir, { proxyUrl: options.proxyUrl, limitWriteRole: config.limitWriteRole });
    const where = options.proxyUrl ? `proxy URL ${options.proxyUrl}` : 'proxy URL from INSIGHTS_PROXY_URL in Grafana\'s environment';
    try {
      if (dry) {
        steps.push({ id: 'provisioning', title: 'Grafana provisioning', outcome: 'would-create', detail: `${files.map((f) => f.path).join(', ')} (${where})` });
      } else {
        const written = await writeProvisioningFiles(files);
        const outcome = written.some((w) => w.outcome === 'created') ? 'created' : written.some((w) => w.outcome === 'updated') ? 'updated' : 'unchanged';
        steps.push({ id: 'provisioning', title: 'Grafana provisioning', outcome, detail: `${written.map((w) => `${w.path} ${w.outcome}`).join(', ')} (${where})` });
      }
    } catch (err) {
      steps.push({ id: 'provisioning', title: 'Grafana provisioning', outcome: 'failed', detail: (err as Error).message, hint: 'Check that the directory is writable.' });
    }
  }

  return finish({ cluster, retentionMode: mode }, users);
}
