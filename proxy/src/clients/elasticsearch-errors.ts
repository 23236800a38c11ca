/**
 * The one place that reads Elasticsearch client errors. `explainEsError` tells an admin (setup, status, the doctor)
 * which of reachability, TLS, credentials, privileges or product went wrong and which setting fixes it;
 * `explainSearchFailure` says in one sentence why a panel's search failed and whether that is the user's to fix.
 * Neither repeats credentials: URLs are shown without their user:password part. Pure.
 */
import {
  isEngineConnectionError,
  isEngineResponseError,
  isEngineTimeout,
  isProductNotSupported,
  type EngineFamily,
  type EngineResponseError,
  type EsConfig,
} from './search-engine';
import { describePrivileges, type PrivilegeSet } from './elasticsearch-privileges';

export type EsProblemKind =
  'unreachable' | 'tls' | 'auth' | 'forbidden' | 'not-elasticsearch' | 'unsupported-version' | 'timeout' | 'error';

export interface EsProblem {
  kind: EsProblemKind;
  message: string;
  hint: string;
}

const TLS_PATTERN = /certificate|self[- ]signed|CERT_|SSL|TLS|wrong version number|EPROTO|ERR_SSL/i;
/** What a client sees when it speaks plain HTTP to a node that serves HTTPS (the node just closes the socket). */
const CLOSED_PATTERN = /socket hang up|other side closed|ECONNRESET|UND_ERR_SOCKET/i;

/** Major versions tested, per product (the README lists the exact versions). */
export const SUPPORTED_MAJORS: Record<EngineFamily, number[]> = { elasticsearch: [8, 9], opensearch: [2, 3] };
const PRODUCT: Record<EngineFamily, string> = { elasticsearch: 'Elasticsearch', opensearch: 'OpenSearch' };

function supportedProducts(): string {
  return (Object.keys(SUPPORTED_MAJORS) as EngineFamily[])
    .map((f) => `${PRODUCT[f]} ${SUPPORTED_MAJORS[f].map((m) => `${m}.x`).join(' and ')}`)
    .join(', and ');
}

function who(config: Pick<EsConfig, 'username' | 'apiKey'>): string {
  return config.apiKey
    ? 'the configured API key (ES_API_KEY)'
    : config.username
      ? `user "${config.username}"`
      : 'anonymous requests (no ES_USERNAME)';
}

/** The configured URLs without any `user:password@` part, for messages. */
export function displayUrls(config: Pick<EsConfig, 'urls'>): string {
  return config.urls
    .map((raw) => {
      try {
        const url = new URL(raw);
        url.username = '';
        url.password = '';
        return url.toString().replace(/\/$/, '');
      } catch {
        return '(invalid URL)';
      }
    })
    .join(', ');
}

/** The error's own message; the client may echo the request URL, so credentials embedded in it are cut out. */
function messageOf(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).replace(/\/\/[^/@\s]+@/g, '//');
}

export function explainEsError(err: unknown, config: EsConfig, needed: PrivilegeSet): EsProblem {
  const url = displayUrls(config);
  const text = messageOf(err);
  if (isProductNotSupported(err)) {
    return {
      kind: 'not-elasticsearch',
      message: `The server at ${url} is neither Elasticsearch nor OpenSearch (it identified itself as neither).`,
      hint: `The proxy supports ${supportedProducts()}. Check that ES_URL points at the cluster's HTTP port (9200), not at a proxy or another service.`,
    };
  }
  if (isEngineResponseError(err)) {
    const status = err.statusCode ?? 0;
    if (status === 401) {
      return {
        kind: 'auth',
        message: `Elasticsearch at ${url} rejected the credentials of ${who(config)} (401 Unauthorized).`,
        hint: config.apiKey
          ? 'Check ES_API_KEY (base64 "id:key" or the encoded key); it may be expired or invalidated.'
          : 'Check ES_USERNAME and ES_PASSWORD. If security is on, a username and password (or ES_API_KEY) are required.',
      };
    }
    if (status === 403) {
      return {
        kind: 'forbidden',
        message: `Elasticsearch refused an operation for ${who(config)} (403): ${reason(err) ?? text}`,
        hint: `The proxy needs ${describePrivileges(needed)}. Run "proxy setup --create-users" as a superuser to create a role and user with exactly these.`,
      };
    }
    return {
      kind: 'error',
      message: `Elasticsearch answered ${status}: ${reason(err) ?? text}`,
      hint: 'See the Elasticsearch logs for details.',
    };
  }
  if (isEngineTimeout(err)) {
    return {
      kind: 'timeout',
      message: `Elasticsearch at ${url} did not answer within ${config.requestTimeoutMs} ms.`,
      hint: 'The cluster may be overloaded or starting; check its health and the network between the proxy and the cluster.',
    };
  }
  if (isEngineConnectionError(err)) {
    if (TLS_PATTERN.test(text)) {
      return {
        kind: 'tls',
        message: `TLS handshake with ${url} failed: ${text}`,
        hint: url.startsWith('https:')
          ? 'Give the CA that signed the node certificate in ES_CA_FILE (PEM, e.g. config/certs/http_ca.crt), or for a test set ES_TLS_VERIFY=false. If the node serves plain HTTP, use http:// in ES_URL.'
          : 'The node may serve plain HTTP on this port; check the scheme in ES_URL.',
      };
    }
    if (CLOSED_PATTERN.test(text) && url.startsWith('http:')) {
      return {
        kind: 'tls',
        message: `Elasticsearch at ${url} closed the connection: ${text}`,
        hint: 'The node probably serves HTTPS (Elasticsearch 8 enables it by default): use https:// in ES_URL and set ES_CA_FILE.',
      };
    }
    return {
      kind: 'unreachable',
      message: `Cannot reach Elasticsearch at ${url}: ${text}`,
      hint: 'Check ES_URL (scheme, host, port 9200), that Elasticsearch is running, and firewalls between the proxy and it.',
    };
  }
  return { kind: 'error', message: text, hint: 'Unexpected error talking to Elasticsearch; see the proxy log.' };
}

/**
 * A version we can work with, or the problem with it. OpenSearch before 2.7 lacks `flat_object` (and before 2.4 point in time);
 * Elasticsearch before 8 lacks the REST compatibility the 8.x client relies on.
 */
export function checkVersion(version: string, family: EngineFamily = 'elasticsearch'): EsProblem | undefined {
  const [major, minor] = version.split('.').map((part) => Number.parseInt(part, 10));
  // flat_object arrived in OpenSearch 2.7.
  if (SUPPORTED_MAJORS[family].includes(major) && !(family === 'opensearch' && major === 2 && minor < 7)) {
    return undefined;
  }
  return {
    kind: 'unsupported-version',
    message: `${PRODUCT[family]} ${version} is not supported.`,
    hint: `The proxy supports ${supportedProducts()} (composable templates, flattened objects and point-in-time paging).`,
  };
}

interface EsErrorBody {
  error?:
    | string
    | {
        type?: string;
        reason?: string;
        root_cause?: Array<{ type?: string; reason?: string }>;
        caused_by?: { reason?: string };
      };
}

/** The most specific reason Elasticsearch gave: the cause, else the root cause, else the error's own reason. */
function reason(err: EngineResponseError): string | undefined {
  const error = (err.body as EsErrorBody | undefined)?.error;
  if (typeof error === 'string') {
    return error;
  }
  return error?.caused_by?.reason ?? error?.root_cause?.[0]?.reason ?? error?.reason;
}

/** The outermost error type (a search's own failure), where errorType reads its first root cause. */
function topErrorType(err: EngineResponseError): string | undefined {
  const error = (err.body as EsErrorBody | undefined)?.error;
  return typeof error === 'object' ? error.type : undefined;
}

function errorType(err: EngineResponseError): string | undefined {
  const error = (err.body as EsErrorBody | undefined)?.error;
  return typeof error === 'object' ? (error.root_cause?.[0]?.type ?? error.type) : undefined;
}

export interface SearchFailure {
  message: string;
  /** True when it is the user's input or an upstream being down (logged as info), false for a fault to investigate. */
  expected: boolean;
}

/** Why a panel's search failed, as the one sentence its user sees. Undefined when `err` is not Elasticsearch's. */
/** What a query says when no copy of a shard it needs is available: nothing counted, never a silent zero. */
export const SHARDS_UNAVAILABLE =
  'No copy of the data for this time range is available right now: every shard it needs is on a node that is down or still recovering. Nothing was counted; try again once the cluster is green';

export function explainSearchFailure(err: unknown, config: Pick<EsConfig, 'urls'>): SearchFailure | undefined {
  const url = displayUrls(config);
  if (isEngineConnectionError(err) || isEngineTimeout(err)) {
    return { message: `Elasticsearch unreachable at ${url}: ${messageOf(err)}`, expected: true };
  }
  if (!isEngineResponseError(err)) {
    return undefined;
  }
  const why = reason(err) ?? messageOf(err);
  if (errorType(err) === 'search_context_missing_exception') {
    return {
      message: 'The logs cursor expired (no page was read for 5 minutes); reload the first page.',
      expected: true,
    };
  }
  if (err.statusCode === 503 && topErrorType(err) === 'search_phase_execution_exception') {
    return { message: `${SHARDS_UNAVAILABLE} (Elasticsearch: ${why})`, expected: true };
  }
  if (err.statusCode === 401 || err.statusCode === 403) {
    return {
      message: `Elasticsearch at ${url} refused the proxy's credentials (HTTP ${err.statusCode}): ${why}`,
      expected: true,
    };
  }
  if (err.statusCode === 400) {
    return { message: `Elasticsearch rejected the query: ${why}`, expected: true };
  }
  return { message: `Elasticsearch answered HTTP ${err.statusCode}: ${why}`, expected: false };
}
