/**
 * Turns an Elasticsearch client error into what an admin can act on: which of reachability, TLS, credentials,
 * privileges or product went wrong, and which setting fixes it. Pure.
 */
import { esErrors, type EsConfig } from '../clients/elasticsearch';
import { describePrivileges, type PrivilegeSet } from './privileges';

export type EsProblemKind = 'unreachable' | 'tls' | 'auth' | 'forbidden' | 'not-elasticsearch' | 'unsupported-version' | 'timeout' | 'error';

export interface EsProblem {
  kind: EsProblemKind;
  message: string;
  hint: string;
}

const TLS_PATTERN = /certificate|self[- ]signed|CERT_|SSL|TLS|wrong version number|EPROTO|ERR_SSL/i;
/** What a client sees when it speaks plain HTTP to a node that serves HTTPS (the node just closes the socket). */
const CLOSED_PATTERN = /socket hang up|other side closed|ECONNRESET|UND_ERR_SOCKET/i;

export const SUPPORTED_MAJORS = [8, 9];

function who(config: Pick<EsConfig, 'username' | 'apiKey'>): string {
  return config.apiKey ? 'the configured API key (ES_API_KEY)' : config.username ? `user "${config.username}"` : 'anonymous requests (no ES_USERNAME)';
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

export function explainEsError(err: unknown, config: EsConfig, needed: PrivilegeSet): EsProblem {
  const url = displayUrls(config);
  // The client may echo the request URL; never repeat credentials embedded in it.
  const text = (err instanceof Error ? err.message : String(err)).replace(/\/\/[^/@\s]+@/g, '//');
  if (err instanceof esErrors.ProductNotSupportedError) {
    return {
      kind: 'not-elasticsearch',
      message: `The server at ${url} is not Elasticsearch (it did not identify itself as Elasticsearch; OpenSearch does not).`,
      hint: 'The proxy supports Elasticsearch 8.x and 9.x. OpenSearch is not supported: point ES_URL at an Elasticsearch cluster.',
    };
  }
  if (err instanceof esErrors.ResponseError) {
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
    return { kind: 'error', message: `Elasticsearch answered ${status}: ${reason(err) ?? text}`, hint: 'See the Elasticsearch logs for details.' };
  }
  if (err instanceof esErrors.TimeoutError) {
    return {
      kind: 'timeout',
      message: `Elasticsearch at ${url} did not answer within ${config.requestTimeoutMs} ms.`,
      hint: 'The cluster may be overloaded or starting; check its health and the network between the proxy and the cluster.',
    };
  }
  if (err instanceof esErrors.ConnectionError || err instanceof esErrors.NoLivingConnectionsError) {
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

/** A version we can work with, or the problem with it. */
export function checkVersion(version: string): EsProblem | undefined {
  const major = Number.parseInt(version, 10);
  if (SUPPORTED_MAJORS.includes(major)) {
    return undefined;
  }
  return {
    kind: 'unsupported-version',
    message: `Elasticsearch ${version} is not supported.`,
    hint: `Use Elasticsearch ${SUPPORTED_MAJORS.map((m) => `${m}.x`).join(' or ')} (composable templates, flattened fields and the v8 REST compatibility the proxy relies on).`,
  };
}

function reason(err: esErrors.ResponseError): string | undefined {
  const body = err.body as { error?: { reason?: string; root_cause?: Array<{ reason?: string }> } | string } | undefined;
  if (typeof body?.error === 'string') {
    return body.error;
  }
  return body?.error?.reason ?? body?.error?.root_cause?.[0]?.reason;
}
