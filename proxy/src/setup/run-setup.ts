/**
 * One setup run: check the cluster, then make retention, the index templates and (on request) users and Grafana
 * provisioning what they should be. Idempotent: a rerun reports "unchanged". A dry run only reports the plan.
 * Every failure carries what to do about it; nothing here ever logs or returns a password.
 */
import type { RetentionMode, SetupResult, SetupStep, StepOutcome } from '@shared/status-api';
import type { ClusterInfo, ElasticsearchClient } from '../clients/elasticsearch';
import { checkVersion, displayUrls, explainEsError } from '../clients/elasticsearch-errors';
import { describePrivileges, proxyPrivileges } from '../clients/elasticsearch-privileges';
import type { Config } from '../config';
import { buildLimitIndexTemplate, limitTemplateNameFor } from './limit-index-template';
import { buildIndexTemplate, templateNameFor, templateOptionsFor, type IndexTemplateBody } from './index-template';
import { findMappingConflicts, type IndexConflict } from './mapping-conflicts';
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

/** What the connect step learnt about the cluster; the later steps depend on it. */
interface Cluster extends Pick<ClusterInfo, 'version' | 'distribution'> {
  securityOn: boolean;
  ilm: boolean;
}

/** Connected to a supported cluster, or not (with what is known of it). */
type Connection = { ok: true; cluster: Cluster } | { ok: false; cluster?: SetupResult['cluster'] };

export async function runSetup(deps: SetupDeps, options: SetupOptions = {}): Promise<SetupRun> {
  const steps = new StepLog(deps.config, options);
  const connection = await connect(deps, steps);
  if (!connection.ok) {
    return steps.finish({ cluster: connection.cluster });
  }
  const { cluster } = connection;
  if (cluster.securityOn) {
    await checkPrivileges(deps, steps, cluster);
  }
  const mode = await applyRetention(deps, steps, cluster);
  const { indexPrefix, limitIndexPrefix, replicas } = deps.config.elasticsearch;
  const lifecyclePolicy = mode === 'ilm' ? retentionPolicyNameFor(indexPrefix) : undefined;
  const eventTemplate = buildIndexTemplate(indexPrefix, { lifecyclePolicy, replicas, ...templateOptionsFor(cluster) });
  await applyTemplate(deps, steps, EVENT_TEMPLATE_STEPS, templateNameFor(indexPrefix), eventTemplate);
  await reportMappingConflicts(deps, steps, EVENT_TEMPLATE_STEPS, eventTemplate);
  const limitTemplate = buildLimitIndexTemplate(limitIndexPrefix, { lifecyclePolicy, replicas });
  await applyTemplate(deps, steps, LIMIT_TEMPLATE_STEPS, limitTemplateNameFor(limitIndexPrefix), limitTemplate);
  await reportMappingConflicts(deps, steps, LIMIT_TEMPLATE_STEPS, limitTemplate);
  const users = options.createUsers ? await ensureUsers(deps, steps, cluster) : undefined;
  if (options.provisioningDir) {
    await writeProvisioning(deps, steps, options.provisioningDir, options.proxyUrl);
  }
  return steps.finish({ cluster: { version: cluster.version, distribution: cluster.distribution }, retentionMode: mode }, users);
}

/** The steps a run has taken so far, and how a write or a failure reads as one. */
class StepLog {
  readonly list: SetupStep[] = [];
  readonly dry: boolean;
  /** Until the cluster is known to have ILM, a 403 lists the privileges without manage_ilm. */
  ilm = false;

  constructor(
    private readonly config: Config,
    private readonly options: SetupOptions
  ) {
    this.dry = Boolean(options.dryRun);
  }

  add(step: SetupStep): SetupStep {
    this.list.push(step);
    return step;
  }

  /** Created or updated, or in a dry run what would be. */
  written(exists: boolean): StepOutcome {
    if (this.dry) {
      return exists ? 'would-update' : 'would-create';
    }
    return exists ? 'updated' : 'created';
  }

  failed(id: SetupStep['id'], title: string, err: unknown): SetupStep {
    const problem = explainEsError(err, this.config.elasticsearch, proxyPrivileges(this.config.elasticsearch, this.ilm));
    return this.add({ id, title, outcome: 'failed', detail: problem.message, hint: problem.hint });
  }

  finish(extra: Partial<SetupResult> = {}, users?: CreatedUser[]): SetupRun {
    const finishedAt = (this.options.now?.() ?? new Date()).toISOString();
    return { result: { ok: !this.list.some((s) => s.outcome === 'failed'), dryRun: this.dry, finishedAt, steps: this.list, ...extra }, users };
  }
}

/** Reachability, TLS, credentials, product and version; whether security and ILM are on. */
async function connect({ config, es }: SetupDeps, steps: StepLog): Promise<Connection> {
  const title = 'Connect to Elasticsearch';
  try {
    const info = await es.info();
    const versionProblem = checkVersion(info.version, info.distribution);
    if (versionProblem) {
      steps.add({ id: 'connect', title, outcome: 'failed', detail: versionProblem.message, hint: versionProblem.hint });
      return { ok: false, cluster: { version: info.version, distribution: info.distribution } };
    }
    const me = await es.authenticate();
    steps.ilm = await es.hasIlm();
    steps.add({
      id: 'connect',
      title,
      outcome: 'ok',
      detail: `${info.distribution === 'opensearch' ? 'OpenSearch' : 'Elasticsearch'} ${info.version} at ${displayUrls(config.elasticsearch)}${me ? ` as "${me.username}"` : ' (security off)'}; ILM ${steps.ilm ? 'available' : 'not available'}.`,
    });
    return { ok: true, cluster: { version: info.version, distribution: info.distribution, securityOn: Boolean(me), ilm: steps.ilm } };
  } catch (err) {
    steps.failed('connect', title, err);
    return { ok: false };
  }
}

/** The privileges of the configured credentials (only meaningful with security on). */
async function checkPrivileges({ config, es }: SetupDeps, steps: StepLog, cluster: Cluster): Promise<void> {
  const title = 'Check privileges';
  const needed = proxyPrivileges(config.elasticsearch, cluster.ilm);
  if (cluster.distribution === 'opensearch') {
    steps.add({
      id: 'privileges',
      title,
      outcome: 'skipped',
      detail: "OpenSearch's security plugin has no privilege check the proxy can ask; its first write or search will tell.",
      hint: `Give the proxy's user ${describePrivileges(needed)} (in the security plugin's terms: cluster_monitor, cluster_manage_index_templates, and crud, create_index, delete, manage on the indices).`,
    });
    return;
  }
  try {
    const check = await es.hasPrivileges({ cluster: needed.cluster, index: needed.indices });
    const missingCluster = Object.entries(check.cluster).filter(([, ok]) => !ok).map(([p]) => p);
    const missingIndex = Object.entries(check.index).flatMap(([index, privs]) =>
      Object.entries(privs).filter(([, ok]) => !ok).map(([p]) => `${p} on ${index}`)
    );
    const missing = [...missingCluster, ...missingIndex];
    steps.add(
      missing.length === 0
        ? { id: 'privileges', title, outcome: 'ok', detail: 'The configured credentials have every privilege the proxy needs.' }
        : {
            id: 'privileges',
            title,
            outcome: 'failed',
            detail: `Missing privileges: ${missing.join(', ')}.`,
            hint: 'Grant them to the proxy\'s role, or run "proxy setup --create-users" as a superuser and configure the created user.',
          }
    );
  } catch (err) {
    steps.failed('privileges', title, err);
  }
}

/** ILM's delete policy where the cluster has ILM, else the proxy's own deletion; returns the mode in effect. */
async function applyRetention({ config, es }: SetupDeps, steps: StepLog, cluster: Cluster): Promise<RetentionMode> {
  const title = 'Retention';
  const { days } = config.retention;
  const mode: RetentionMode = config.retention.mode === 'auto' ? (cluster.ilm ? 'ilm' : 'proxy') : config.retention.mode;
  if (mode === 'ilm' && !cluster.ilm) {
    steps.add({
      id: 'retention',
      title,
      outcome: 'failed',
      detail: 'RETENTION_MODE=ilm, but this cluster has no index lifecycle management.',
      hint: 'Set RETENTION_MODE=auto (or proxy): the proxy then deletes expired daily indices itself.',
    });
    return 'off';
  }
  if (mode === 'ilm') {
    const policyName = retentionPolicyNameFor(config.elasticsearch.indexPrefix);
    try {
      const installed = await es.getIlmPolicy(policyName);
      const unchanged = installed !== undefined && policyMatches(installed, days);
      if (!unchanged && !steps.dry) {
        await es.putIlmPolicy(policyName, buildRetentionPolicy(days));
      }
      steps.add({
        id: 'retention',
        title,
        outcome: unchanged ? 'unchanged' : steps.written(installed !== undefined),
        detail: `ILM policy "${policyName}" deletes daily indices ${days} days after the date in their name.`,
      });
    } catch (err) {
      steps.failed('retention', title, err);
    }
  } else if (mode === 'proxy') {
    steps.add({
      id: 'retention',
      title,
      outcome: 'ok',
      detail: `No ILM here: the proxy deletes ${config.elasticsearch.indexPrefix}YYYY.MM.dd indices older than ${days} days (and the limit history's ${config.elasticsearch.limitIndexPrefix}YYYY.MM.dd alike), checking every ${Math.round(config.retention.checkIntervalMs / 60000)} min while it runs.`,
    });
  } else {
    steps.add({ id: 'retention', title, outcome: 'skipped', detail: 'Retention is off (RETENTION_MODE=off): indices are kept until deleted by hand.' });
  }
  return mode;
}

/** How one of our templates' two steps are named, and what happens to documents that clash with an older index. */
interface TemplateSteps {
  template: SetupStep['id'];
  title: string;
  conflicts: SetupStep['id'];
  conflictsTitle: string;
  clashes: string;
}

const EVENT_TEMPLATE_STEPS: TemplateSteps = {
  template: 'template',
  title: 'Index template',
  conflicts: 'conflicts',
  conflictsTitle: 'Existing indices',
  clashes: 'events that clash with an older index (e.g. a string into an object field) are rejected there and go to the dead-letter index.',
};

const LIMIT_TEMPLATE_STEPS: TemplateSteps = {
  template: 'limit-template',
  title: 'Limit history index template',
  conflicts: 'limit-conflicts',
  conflictsTitle: 'Existing limit history indices',
  clashes: 'limit samples that clash with an older index are refused there and counted as dropped (insights_limit_documents_dropped_total).',
};

/** One of our index templates, installed or updated when the cluster's differs. */
async function applyTemplate({ es }: SetupDeps, steps: StepLog, ids: TemplateSteps, name: string, template: IndexTemplateBody): Promise<void> {
  try {
    const installed = await es.getIndexTemplate(name);
    const differences = installed ? templateDifferences(installed, template) : ['all'];
    if (differences.length > 0 && !steps.dry) {
      await es.putIndexTemplate(name, template);
    }
    steps.add({
      id: ids.template,
      title: ids.title,
      outcome: differences.length === 0 ? 'unchanged' : steps.written(installed !== undefined),
      detail:
        `Template "${name}" (priority ${template.priority}, version ${template.version}) for ${template.index_patterns.join(', ')}` +
        (installed && differences.length > 0 ? `; installed one differed in: ${differences.join(', ')}.` : '.'),
    });
  } catch (err) {
    steps.failed(ids.template, ids.title, err);
  }
}

const MAX_CONFLICTS_LISTED = 10;

export function describeConflicts(conflicts: IndexConflict[]): string {
  const listed = conflicts.slice(0, MAX_CONFLICTS_LISTED).map((c) => `${c.index}: ${c.fields.map((f) => `${f.field} is ${f.actual} (ours: ${f.expected})`).join(', ')}`);
  const more = conflicts.length > MAX_CONFLICTS_LISTED ? ` … and ${conflicts.length - MAX_CONFLICTS_LISTED} more` : '';
  return `${conflicts.length} existing ${conflicts.length === 1 ? 'index maps' : 'indices map'} our fields differently: ${listed.join('; ')}${more}.`;
}

/** Existing indices that map a template's fields differently (a template applies only to indices created after it). */
async function reportMappingConflicts({ es }: SetupDeps, steps: StepLog, ids: TemplateSteps, template: IndexTemplateBody): Promise<void> {
  try {
    const conflicts = findMappingConflicts(template.template.mappings, await es.getMappings(template.index_patterns.join(',')));
    steps.add(
      conflicts.length === 0
        ? { id: ids.conflicts, title: ids.conflictsTitle, outcome: 'ok', detail: 'No existing index maps our fields differently.' }
        : {
            id: ids.conflicts,
            title: ids.conflictsTitle,
            outcome: 'warning',
            detail: describeConflicts(conflicts),
            hint:
              `A template applies only to indices created after it. Daily indices from tomorrow (UTC) get our mapping; ${ids.clashes} ` +
              'To fix an old index now, reindex it into a new index with our mapping (POST _reindex) and delete the old one, or let retention age it out.',
          }
    );
  } catch (err) {
    steps.failed(ids.conflicts, ids.conflictsTitle, err);
  }
}

/** Least-privilege users for the proxy and for read-only queries (on request, Elasticsearch with security on only). */
async function ensureUsers({ config, es }: SetupDeps, steps: StepLog, cluster: Cluster): Promise<CreatedUser[] | undefined> {
  const title = 'Users';
  const needed = proxyPrivileges(config.elasticsearch, cluster.ilm);
  if (cluster.distribution === 'opensearch') {
    steps.add({
      id: 'users',
      title,
      outcome: 'skipped',
      detail: "On OpenSearch, create the proxy's user and role with the security plugin's tools.",
      hint: `The proxy's user needs ${describePrivileges(needed)}.`,
    });
    return undefined;
  }
  if (!cluster.securityOn) {
    steps.add({ id: 'users', title, outcome: 'skipped', detail: 'Elasticsearch security is off: there are no users to create.' });
    return undefined;
  }
  if (steps.dry) {
    steps.add({ id: 'users', title, outcome: 'would-create', detail: 'Would create or update roles and users for the proxy (write) and for queries (read-only).' });
    return undefined;
  }
  try {
    const users = await createUsers(es, config.elasticsearch, cluster.ilm);
    steps.add({
      id: 'users',
      title,
      outcome: users.some((u) => u.created) ? 'created' : 'unchanged',
      detail: users.map((u) => `${u.username} (role ${u.role}) ${u.created ? 'created' : 'exists; password unchanged'}`).join('; '),
    });
    return users;
  } catch (err) {
    const step = steps.failed('users', title, err);
    step.hint = `${step.hint} To create them by hand, give the proxy's user a role with ${describePrivileges(needed)}.`;
    return undefined;
  }
}

/**
 * Grafana's provisioning files (on request): the app, the Insights datasource and the alerting Elasticsearch datasource;
 * ours, replacing earlier copies, nothing else.
 */
async function writeProvisioning({ config }: SetupDeps, steps: StepLog, dir: string, proxyUrl: string | undefined): Promise<void> {
  const title = 'Grafana provisioning';
  const files = buildProvisioningFiles(dir, { proxyUrl, limitWriteRole: config.limitWriteRole, indices: config.elasticsearch });
  const where = proxyUrl ? `proxy URL ${proxyUrl}` : "proxy URL from INSIGHTS_PROXY_URL in Grafana's environment";
  try {
    if (steps.dry) {
      steps.add({ id: 'provisioning', title, outcome: 'would-create', detail: `${files.map((f) => f.path).join(', ')} (${where})` });
      return;
    }
    const written = await writeProvisioningFiles(files);
    const outcome = written.some((w) => w.outcome === 'created') ? 'created' : written.some((w) => w.outcome === 'updated') ? 'updated' : 'unchanged';
    steps.add({ id: 'provisioning', title, outcome, detail: `${written.map((w) => `${w.path} ${w.outcome}`).join(', ')} (${where})` });
  } catch (err) {
    steps.add({ id: 'provisioning', title, outcome: 'failed', detail: (err as Error).message, hint: 'Check that the directory is writable.' });
  }
}
