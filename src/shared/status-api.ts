/**
 * Wire types of the proxy's operations API: GET /api/status, POST /api/setup and POST /api/doctor (each starts a run,
 * answered 202 with an OperationRun), GET /api/runs/:id (the run until it is done). Shared by the proxy
 * (which builds them) and the app's Status page (which shows them). Nothing here ever carries a secret.
 * Pure types with no imports, like the other wire files here.
 */

/** An ingest source, e.g. `gelf_udp` (the proxy's SourceName). */
export type SourceId = string;

/** One step of a setup run or plan. `would-*` only in dry runs. */
export type StepOutcome = 'ok' | 'unchanged' | 'created' | 'updated' | 'would-create' | 'would-update' | 'warning' | 'failed' | 'skipped';

export interface SetupStep {
  id: 'connect' | 'privileges' | 'retention' | 'template' | 'conflicts' | 'limit-template' | 'limit-conflicts' | 'users' | 'provisioning';
  title: string;
  outcome: StepOutcome;
  detail: string;
  /** What to do about a failure or warning. */
  hint?: string;
}

export type RetentionMode = 'ilm' | 'proxy' | 'off';

export interface SetupResult {
  ok: boolean;
  dryRun: boolean;
  finishedAt: string;
  cluster?: { version: string; distribution: string };
  retentionMode?: RetentionMode;
  steps: SetupStep[];
}

export interface ListenerStatus {
  source: SourceId;
  enabled: boolean;
  /** What to pick in DreamFactory's Logstash service (`protocol`); undefined for inputs DreamFactory cannot send to. */
  dreamFactoryProtocol?: 'gelf' | 'udp' | 'tcp' | 'http';
  transport: 'udp' | 'tcp' | 'http';
  /** Enabled sources: the address and port as bound (port 0 in the config shows the port the kernel assigned). */
  host: string;
  port: number;
  path?: string;
}

/**
 * Whether a source is carrying traffic, derived from its last received message: `receiving` within the last
 * minute, `idle` (received before, not in the last minute; `lastReceivedAt` says since when), `never_received`.
 */
export type ListenerActivity = 'disabled' | 'receiving' | 'idle' | 'never_received';

/** How recent the last message must be for a source to count as `receiving`. */
export const RECEIVING_WINDOW_MS = 60_000;

export interface SourceStatus extends ListenerStatus {
  /** Messages received per second, averaged over the last 1, 5 and 15 minutes (or since start, if shorter). */
  rate1m: number;
  rate5m: number;
  rate15m: number;
  received: number;
  decoded: number;
  dropped: number;
  /** UDP only: datagrams the kernel dropped on this source's socket since start, and over the last minute. */
  kernelDrops?: number;
  kernelDropsLastMinute?: number;
  /** The last decoded event. */
  lastEventAt?: string;
  /** The last message received (decodable or not): what `activity` is derived from. */
  lastReceivedAt?: string;
  activity: ListenerActivity;
}

export interface ElasticsearchStatus {
  reachable: boolean;
  url: string;
  error?: string;
  hint?: string;
  version?: string;
  /** `elasticsearch` or `opensearch`. */
  distribution?: string;
  clusterHealth?: string;
  /** Nodes in the cluster and shards without a live copy: a lost node shows here until it is back. */
  nodes?: { count: number; dataNodes: number; unassignedShards: number };
  template?: { name: string; installed: boolean; installedVersion?: number; expectedVersion: number };
  retention: { mode: RetentionMode | 'unknown'; days: number; policyName?: string; policyPresent?: boolean; lastRun?: RetentionRun };
  todayIndex?: { name: string; exists: boolean; docsCount: number; storeBytes: number };
  indices?: { count: number; docsCount: number; storeBytes: number; oldest?: string; newest?: string };
}

export interface RetentionRun {
  at: string;
  deleted: string[];
  error?: string;
}

/**
 * The credentials the proxy presents to DreamFactory: an admin session (exempt from DreamFactory's limits) or the API
 * key (its calls count against instance limits, and an instance limit that trips locks the proxy out too).
 */
export type DreamFactoryAuth = 'admin-session' | 'api-key';

export interface DreamFactoryStatus {
  configured: boolean;
  reachable: boolean;
  auth?: DreamFactoryAuth;
  /** False when DreamFactory refused the proxy's credentials (the API key or the admin login). */
  keyValid?: boolean;
  version?: string;
  error?: string;
}

export interface IngestStatus {
  sources: SourceStatus[];
  drops: Array<{ source: string; reason: string; count: number }>;
  queue: { events: number; bytes: number };
  indexed: number;
  deadLettered: number;
  lastEventAt?: string;
}

/**
 * The Splunk HEC destination, from its sink's own counters since the proxy started (the `insights_splunk_*` metrics
 * count the same events). Never carries the HEC token.
 */
export interface SplunkStatus {
  /** The collector's event endpoint, without credentials or query. */
  url: string;
  /** Events Splunk accepted (indexed, with indexer acknowledgement on). */
  delivered: number;
  /** Events Splunk refused for good, written to `deadLetterFile` with HEC's reason. */
  deadLettered: number;
  deadLetterFile: string;
  /** Batches sent again after Splunk was busy, unreachable, failed or did not confirm indexing. */
  retries: number;
  /** Queue records the sink skipped as unreadable. */
  unreadable: number;
  /** Events in the disk queue Splunk has not taken yet (its own cursor's lag). */
  pending: number;
  lastError?: string;
  lastErrorAt?: string;
  lastDeliveredAt?: string;
}

/** How long after a Splunk error the status page keeps warning about it. */
export const SPLUNK_RECENT_ERROR_MS = 5 * 60_000;

/** The limit sampler: `system/limit_cache` read every `intervalSeconds` into the limit-history indices. */
export interface LimitHistoryStatus {
  enabled: boolean;
  /** Why it is off, when it is. */
  disabledReason?: string;
  intervalSeconds: number;
  indexPrefix: string;
  lastSampleAt?: string;
  lastAttemptAt?: string;
  /** The last attempt's failure (DreamFactory unreadable: a gap; Elasticsearch down: documents wait). */
  lastError?: string;
  /** Counters read and documents written by the last successful sample. */
  counters?: number;
  documents?: number;
  tripsSinceStart: number;
  pendingDocuments: number;
  droppedDocuments: number;
  /** DreamFactory requests the sampler made per minute, over the last 15 minutes (or since start). */
  dreamFactoryRequestsPerMinute: number;
}

export interface StatusResponse {
  generatedAt: string;
  proxy: { version: string; startedAt: string; uptimeSeconds: number };
  elasticsearch: ElasticsearchStatus;
  dreamfactory: DreamFactoryStatus;
  ingest: IngestStatus;
  /** Absent when Splunk HEC is off (no SPLUNK_HEC_URL). */
  splunk?: SplunkStatus;
  /** The last setup the proxy ran (at start or through POST /api/setup). */
  lastSetup?: SetupResult;
  limitHistory?: LimitHistoryStatus;
}

/**
 * Where a doctor probe was seen, in pipeline order: read by the source, transformed into a document, appended to
 * the disk queue, acknowledged by Elasticsearch's bulk API, found by a search.
 */
export const DOCTOR_STAGES = ['received', 'transformed', 'queued', 'indexed', 'searchable'] as const;

export type DoctorStage = (typeof DOCTOR_STAGES)[number];

export interface DoctorSourceResult {
  source: SourceId;
  ok: boolean;
  /** Per stage: milliseconds after this source's probe was sent when the pipeline reached it; absent = not reached. */
  stages: Partial<Record<DoctorStage, number>>;
  /** Per stage: milliseconds it took on its own (since the previous stage; `received` since sending). */
  stageMs: Partial<Record<DoctorStage, number>>;
  failedStage?: DoctorStage | 'send';
  cause?: string;
}

export interface DoctorResult {
  ok: boolean;
  /** Carried by every probe in the `insights_probe` field, which activity queries exclude. */
  tag: string;
  finishedAt: string;
  sources: DoctorSourceResult[];
  /** Problems not tied to one source (Elasticsearch down, nothing enabled). */
  problems: string[];
}

export type RunKind = 'setup' | 'doctor';

export interface RunResults {
  setup: SetupResult;
  doctor: DoctorResult;
}

/**
 * A setup or doctor run. They can outlast Grafana's datasource-proxy timeout (30 s), so POST answers at once with the
 * run and the caller polls GET /api/runs/:id until `state` is no longer `running`.
 */
export interface OperationRun<K extends RunKind = RunKind> {
  id: string;
  kind: K;
  state: 'running' | 'done' | 'failed';
  startedAt: string;
  finishedAt?: string;
  /** When `done`. */
  result?: RunResults[K];
  /** When `failed`: what went wrong. */
  error?: string;
}

/** What the status page and the doctor say when the kernel dropped datagrams on a source's socket (receive buffer full). */
export function kernelDropAdvice(lastMinute: number, sinceStart: number): string {
  return `Lost in the kernel: ${lastMinute.toLocaleString('en-US')} in the last minute (${sinceStart.toLocaleString('en-US')} since start) — raise net.core.rmem_max / add receivers.`;
}

/** A doctor stage timing as the CLI and the status page print it: `0.4 ms`, `152 ms`, `4.63 s`; `—` if not reached. */
export function formatStageMs(ms: number | undefined): string {
  if (ms === undefined) {
    return '—';
  }
  return ms < 10 ? `${ms.toFixed(1)} ms` : ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** Time from sending a source's probe to the last stage it reached. */
export function doctorTotalMs(source: DoctorSourceResult): number | undefined {
  return DOCTOR_STAGES.map((stage) => source.stages[stage]).filter((ms) => ms !== undefined).pop();
}
