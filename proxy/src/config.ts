/**
 * Proxy configuration: defaults, then an optional JSON file (`INSIGHTS_CONFIG=/path/config.json`), then environment
 * variables. The merged result is validated once at start; a bad value stops the process with a message naming it.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_SECRET_KEYS, DEFAULT_SECRET_WORDS } from './secret-key-defaults';

const port = z.coerce.number().int().min(0).max(65535);
const bool = z.union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => ['true', '1', 'yes'].includes(v))]);
const indexPrefix = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be a lower-case index name prefix');
const listener = (defaultPort: number, enabled = true) =>
  z
    .object({ enabled: bool.default(enabled), host: z.string().default('0.0.0.0'), port: port.default(defaultPort) })
    .prefault({});

export const configSchema = z.object({
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  server: z.object({ host: z.string().default('0.0.0.0'), port: port.default(3100) }).prefault({}),
  /** Shared secret every `/api/*` call must present in PROXY_TOKEN_HEADER (Grafana's datasource route injects it). */
  apiToken: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Minimum Grafana role allowed to change limits; checked against the role of the route Grafana matched. */
  limitWriteRole: z.enum(['Admin', 'Editor']).default('Admin'),
  elasticsearch: z
    .object({
      urls: z.array(z.string().url()).min(1).default(['http://127.0.0.1:9200']),
      username: z.string().optional(),
      password: z.string().optional(),
      apiKey: z.string().optional(),
      caFile: z.string().optional(),
      tlsVerify: bool.default(true),
      indexPrefix: indexPrefix.default('logstash-dreamfactory-'),
      /** Daily indices of the limit sampler (`<prefix>YYYY.MM.dd`); must not overlap the event indices. */
      limitIndexPrefix: indexPrefix.default('dreamfactory-limits-'),
      deadLetterIndex: z.string().default('dreamfactory-insights-deadletter'),
      requestTimeoutMs: z.coerce.number().int().positive().default(30000),
      /** Replica copies of each shard of the daily indices: 0 suits one node; 1 on a cluster survives losing a node. */
      replicas: z.coerce.number().int().min(0).default(0),
    })
    .prefault({}),
  dreamfactory: z
    .object({
      url: z.string().url().optional(),
      apiKey: z.string().optional(),
      /** An admin's login: the proxy then works in an admin session, which DreamFactory's limits never count or block. */
      adminEmail: z.string().optional(),
      adminPassword: z.string().optional(),
      timeoutMs: z.coerce.number().int().positive().default(15000),
      /** How long the user directory (system/user + system/admin) is trusted before a background refresh. */
      directoryTtlMs: z.coerce.number().int().positive().default(300000),
    })
    .prefault({})
    .refine((df) => Boolean(df.adminEmail) === Boolean(df.adminPassword), {
      message: 'DF_ADMIN_EMAIL and DF_ADMIN_PASSWORD go together: set both or neither',
      path: ['adminPassword'],
    }),
  ingest: z
    .object({
      gelfUdp: listener(12201),
      gelfTcp: listener(12201),
      /** GELF HTTP is served by the proxy's HTTP server at POST /gelf; this switch turns that route off. */
      gelfHttpEnabled: bool.default(true),
      jsonUdp: listener(12202),
      jsonTcp: listener(12203),
      jsonHttp: listener(12204),
      /** SO_RCVBUF asked for on UDP sockets (the kernel caps it at net.core.rmem_max); 0 keeps the kernel default. */
      udpReceiveBufferBytes: z.coerce.number().int().nonnegative().default(8 * 1024 * 1024),
      /** Datagrams received but not yet decoded may hold this much memory; beyond it they are counted as buffer_full. */
      udpBufferBytes: z.coerce.number().int().positive().default(64 * 1024 * 1024),
      /**
       * Nice value of the main thread (decode, transform, queue, sink, API) once the UDP receiving thread runs, so the
       * receiving thread wins a contended CPU during a burst (Linux; 0 leaves it as started).
       */
      mainThreadNice: z.coerce.number().int().min(0).max(19).default(10),
      maxMessageBytes: z.coerce.number().int().positive().default(8 * 1024 * 1024),
      maxTcpFrameBytes: z.coerce.number().int().positive().default(2 * 1024 * 1024),
      chunkTimeoutMs: z.coerce.number().int().positive().default(5000),
      maxPendingChunkBytes: z.coerce.number().int().positive().default(64 * 1024 * 1024),
      /** Redact secrets from events before they are queued (README.md "Secrets"). */
      redact: bool.default(true),
      /** Key names always secret, any case (default: DreamFactory's own list). */
      redactKeys: z.array(z.string().min(1)).default([...DEFAULT_SECRET_KEYS]),
      /** Words that make a key secret wherever they stand in it (`password` → `newPassword`, `db_password`). */
      redactWords: z
        .array(z.string().regex(/^[A-Za-z0-9]+$/, 'a word is letters and digits only').transform((w) => w.toLowerCase()))
        .default([...DEFAULT_SECRET_WORDS]),
      /** Key names never secret by name (their values are still checked for tokens). */
      redactKeepKeys: z.array(z.string().min(1)).default([]),
      /** HMAC key of the fingerprints in redaction markers; default `<queue.dir>/fingerprint.key`, created on first use. */
      redactFingerprintKeyFile: z.string().min(1).optional(),
      dropDuplicateTableEvents: bool.default(true),
    })
    .prefault({}),
  queue: z
    .object({
      dir: z.string().default('./data/queue'),
      maxBytes: z.coerce.number().int().positive().default(1024 * 1024 * 1024),
      /** UDP/TCP events are fdatasynced at most this long after being written (HTTP ones before the answer). */
      syncIntervalMs: z.coerce.number().int().positive().default(1000),
    })
    .prefault({}),
  sink: z
    .object({
      batchMaxDocs: z.coerce.number().int().positive().default(2000),
      batchMaxBytes: z.coerce.number().int().positive().default(5 * 1024 * 1024),
      flushIntervalMs: z.coerce.number().int().positive().default(1000),
      concurrency: z.coerce.number().int().positive().default(3),
      /** Retries (item 429/5xx, or the whole request while Elasticsearch is down) back off from this, doubling, with jitter. */
      retryInitialMs: z.coerce.number().int().positive().default(250),
      retryMaxMs: z.coerce.number().int().positive().default(30000),
    })
    .prefault({}),
  retention: z
    .object({
      days: z.coerce.number().int().positive().default(30),
      /** auto: ILM where the cluster has it, else the proxy deletes old daily indices itself. */
      mode: z.enum(['auto', 'ilm', 'proxy', 'off']).default('auto'),
      checkIntervalMs: z.coerce.number().int().positive().default(3600000),
    })
    .prefault({}),
  /** Splunk HTTP Event Collector, a second destination next to (or instead of) Elasticsearch; off without a URL. */
  splunk: z
    .object({
      /** `https://splunk:8088` (events go to /services/collector/event) or a full collector URL. */
      url: z.string().url().optional(),
      token: z.string().optional(),
      /** Omitted: the token's default index. */
      index: z.string().optional(),
      sourcetype: z.string().default('dreamfactory'),
      source: z.string().default('dreamfactory-insights'),
      /** `document`: the whole event as JSON; `message`: the message text only, as the reference Logstash output sent it. */
      eventBody: z.enum(['document', 'message']).default('document'),
      tlsVerify: bool.default(true),
      caFile: z.string().optional(),
      gzip: bool.default(true),
      batchMaxEvents: z.coerce.number().int().positive().default(500),
      batchMaxBytes: z.coerce.number().int().positive().default(1024 * 1024),
      flushIntervalMs: z.coerce.number().int().positive().default(1000),
      retryInitialMs: z.coerce.number().int().positive().default(250),
      retryMaxMs: z.coerce.number().int().positive().default(30000),
      requestTimeoutMs: z.coerce.number().int().positive().default(30000),
      /** Wait for indexer acknowledgement (the token must have it on): a batch counts as delivered once indexed, not on HEC's 200. */
      ack: bool.default(false),
      /** Unconfirmed this long after HEC's 200, a batch is sent again (Splunk may then hold it twice: dedup on event_id). */
      ackTimeoutMs: z.coerce.number().int().positive().default(120000),
      ackPollMs: z.coerce.number().int().positive().default(1000),
      /** Events Splunk refused for good (bad data, bad token), one JSON line each with the reason. */
      deadLetterFile: z.string().default('./data/splunk-dead-letter.jsonl'),
    })
    .prefault({})
    .refine((s) => !s.url || Boolean(s.token), { message: 'required when a Splunk HEC URL (SPLUNK_HEC_URL) is set', path: ['token'] }),
  setupOnStart: bool.default(true),
  limitHistory: z
    .object({
      /** How often `system/limit_cache` is sampled into the limit indices; 0 turns sampling off. */
      sampleSeconds: z.coerce.number().int().min(0).max(86400).default(30),
    })
    .prefault({}),
})
  .refine(
    ({ elasticsearch: { indexPrefix, limitIndexPrefix } }) => !indexPrefix.startsWith(limitIndexPrefix) && !limitIndexPrefix.startsWith(indexPrefix),
    { path: ['elasticsearch', 'limitIndexPrefix'], message: 'must not overlap the event index prefix (ES_INDEX_PREFIX): each needs its own template' }
  );

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

/** Environment variables and the config path each one sets. Lists are comma-separated. */
export const ENV_VARS: Record<string, string> = {
  LOG_LEVEL: 'logLevel',
  PROXY_HOST: 'server.host',
  PROXY_PORT: 'server.port',
  PROXY_TOKEN: 'apiToken',
  LIMIT_WRITE_ROLE: 'limitWriteRole',
  ES_URL: 'elasticsearch.urls',
  ES_USERNAME: 'elasticsearch.username',
  ES_PASSWORD: 'elasticsearch.password',
  ES_API_KEY: 'elasticsearch.apiKey',
  ES_CA_FILE: 'elasticsearch.caFile',
  ES_TLS_VERIFY: 'elasticsearch.tlsVerify',
  ES_INDEX_PREFIX: 'elasticsearch.indexPrefix',
  ES_INDEX_REPLICAS: 'elasticsearch.replicas',
  LIMIT_INDEX_PREFIX: 'elasticsearch.limitIndexPrefix',
  DF_URL: 'dreamfactory.url',
  DF_API_KEY: 'dreamfactory.apiKey',
  DF_ADMIN_EMAIL: 'dreamfactory.adminEmail',
  DF_ADMIN_PASSWORD: 'dreamfactory.adminPassword',
  GELF_UDP_PORT: 'ingest.gelfUdp.port',
  GELF_UDP_ENABLED: 'ingest.gelfUdp.enabled',
  GELF_TCP_PORT: 'ingest.gelfTcp.port',
  GELF_TCP_ENABLED: 'ingest.gelfTcp.enabled',
  GELF_HTTP_ENABLED: 'ingest.gelfHttpEnabled',
  JSON_UDP_PORT: 'ingest.jsonUdp.port',
  JSON_UDP_ENABLED: 'ingest.jsonUdp.enabled',
  JSON_TCP_PORT: 'ingest.jsonTcp.port',
  JSON_TCP_ENABLED: 'ingest.jsonTcp.enabled',
  JSON_HTTP_PORT: 'ingest.jsonHttp.port',
  JSON_HTTP_ENABLED: 'ingest.jsonHttp.enabled',
  REDACT: 'ingest.redact',
  REDACT_KEYS: 'ingest.redactKeys',
  REDACT_WORDS: 'ingest.redactWords',
  REDACT_KEEP_KEYS: 'ingest.redactKeepKeys',
  REDACT_FINGERPRINT_KEY_FILE: 'ingest.redactFingerprintKeyFile',
  QUEUE_DIR: 'queue.dir',
  QUEUE_MAX_BYTES: 'queue.maxBytes',
  QUEUE_SYNC_INTERVAL_MS: 'queue.syncIntervalMs',
  UDP_RECEIVE_BUFFER_BYTES: 'ingest.udpReceiveBufferBytes',
  RETENTION_DAYS: 'retention.days',
  RETENTION_MODE: 'retention.mode',
  SETUP_ON_START: 'setupOnStart',
  SPLUNK_HEC_URL: 'splunk.url',
  SPLUNK_HEC_TOKEN: 'splunk.token',
  SPLUNK_INDEX: 'splunk.index',
  SPLUNK_SOURCETYPE: 'splunk.sourcetype',
  SPLUNK_EVENT_BODY: 'splunk.eventBody',
  SPLUNK_TLS_VERIFY: 'splunk.tlsVerify',
  SPLUNK_ACK: 'splunk.ack',
  SPLUNK_CA_FILE: 'splunk.caFile',
  SPLUNK_DEAD_LETTER_FILE: 'splunk.deadLetterFile',
  LIMIT_SAMPLE_SECONDS: 'limitHistory.sampleSeconds',
};

const LIST_PATHS = new Set(['elasticsearch.urls', 'ingest.redactKeys', 'ingest.redactWords', 'ingest.redactKeepKeys']);

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    node[key] = typeof node[key] === 'object' && node[key] !== null ? node[key] : {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

export class ConfigError extends Error {}

/** Builds the config from a file's JSON and an environment; throws ConfigError listing every bad value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: ConfigInput = {}): Config {
  let raw: Record<string, unknown> = {};
  if (env.INSIGHTS_CONFIG) {
    try {
      raw = JSON.parse(readFileSync(env.INSIGHTS_CONFIG, 'utf8'));
    } catch (err) {
      throw new ConfigError(`Cannot read config file ${env.INSIGHTS_CONFIG}: ${(err as Error).message}`);
    }
  }
  for (const [name, path] of Object.entries(ENV_VARS)) {
    const value = env[name];
    if (value !== undefined && value !== '') {
      setPath(raw, path, LIST_PATHS.has(path) ? value.split(',').map((v) => v.trim()) : value);
    }
  }
  raw = deepMerge(raw, overrides as Record<string, unknown>);
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const envByPath = Object.fromEntries(Object.entries(ENV_VARS).map(([k, v]) => [v, k]));
    const problems = parsed.error.issues.map((issue) => {
      const path = issue.path.join('.');
      const via = envByPath[path] ? ` (env ${envByPath[path]})` : '';
      return `${path}${via}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return parsed.data;
}

function deepMerge(base: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const out = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = out[key];
    out[key] =
      value && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object' && !Array.isArray(current)
        ? deepMerge(current as Record<string, unknown>, value as Record<string, unknown>)
        : value;
  }
  return out;
}
