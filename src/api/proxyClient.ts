/**
 * The plugin's one client for the Insights proxy. Every call goes through Grafana's datasource proxy for an Insights
 * datasource, whose plugin.json routes add the proxy token server-side and enforce roles. The datasource and the app
 * pages both use it; only the base URL and whether writes take the Editor routes differ.
 */
import { getBackendSrv, isFetchError } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';
import { currentRole } from '../access';
import { isProxyTokenRejected } from '../grafanaProxy';
import { labels } from '../selectors';

export class ProxyError extends Error {
  constructor(
    message: string,
    /** HTTP status, 0 when no response came back. */
    readonly status: number,
    /** The proxy's JSON error body, e.g. a DreamFactory validation message with the field it concerns. */
    readonly body?: unknown
  ) {
    super(message);
  }
}

/** The most specific message available: the proxy's `error`/`message`, Grafana's proxy message, the status text. */
function messageOf(err: unknown): string {
  if (isFetchError<{ error?: unknown; message?: unknown }>(err)) {
    if (isProxyTokenRejected(err.status, err.data)) {
      return labels.proxyTokenRejected;
    }
    const data = err.data;
    const fromBody =
      typeof data === 'object' && data ? (data.error ?? data.message) : typeof data === 'string' ? data : undefined;
    return String(fromBody || err.statusText || err.message || (err.status ? `HTTP ${err.status}` : ''));
  }
  return err instanceof Error ? err.message : String(err);
}

function toProxyError(err: unknown): ProxyError {
  const message = messageOf(err) || 'The Insights proxy could not be reached';
  return isFetchError(err) ? new ProxyError(message, err.status ?? 0, err.data) : new ProxyError(message, 0);
}

/** Grafana's datasource-proxy URL of an Insights datasource. */
export function datasourceProxyUrl(uid: string): string {
  return `/api/datasources/proxy/uid/${uid}`;
}

export interface RequestOptions {
  body?: unknown;
  params?: Record<string, string | number>;
  /** Grafana cancels an earlier request with the same id (panel refreshes). */
  requestId?: string;
}

export class ProxyClient {
  constructor(
    /** The datasource-proxy URL of the Insights datasource (`instanceSettings.url`). */
    private readonly baseUrl: string,
    private readonly options: {
      /**
       * An Editor's writes go through the `editor/` routes (reqRole Editor), which the proxy accepts only when
       * LIMIT_WRITE_ROLE=Editor. The app's limit pages set this; the datasource's queries are reads.
       */
      editorWrites?: boolean;
    } = {}
  ) {}

  private url(path: string, write: boolean): string {
    const editorWrite = this.options.editorWrites && write && currentRole() === 'Editor';
    return `${this.baseUrl}/${editorWrite ? 'editor/api' : 'api'}/${path.replace(/^\/+/, '')}`;
  }

  /** `path` is below the proxy's `/api/`, e.g. `limits/3`. Failures throw a `ProxyError`. */
  request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    return this.send<T>(method, path, options, method !== 'GET');
  }

  /** POST /api/query: a read, so every role takes the Viewer route. */
  query<T>(body: unknown, requestId?: string): Promise<T> {
    return this.send<T>('POST', 'query', { body, requestId }, false);
  }

  private async send<T>(method: string, path: string, options: RequestOptions, write: boolean): Promise<T> {
    try {
      const response = await lastValueFrom(
        getBackendSrv().fetch<T>({
          method,
          url: this.url(path, write),
          data: options.body,
          params: options.params,
          requestId: options.requestId,
          showErrorAlert: false,
        })
      );
      return response.data;
    } catch (err) {
      throw toProxyError(err);
    }
  }

  get<T>(path: string, params?: Record<string, string | number>): Promise<T> {
    return this.request<T>('GET', path, { params });
  }
}

/** A failure as the pages show it: a title and the message. */
export interface ProxyFailure {
  title: string;
  message: string;
}

/**
 * How a failed call to the proxy reads when its body says nothing more specific: the proxy refusing the datasource's
 * token (which Grafana reports as a 400), Grafana's datasource proxy failing to reach it, or the proxy failing
 * (503 when it has no token configured).
 */
export function describeProxyFailure(err: unknown): ProxyFailure {
  if (!(err instanceof ProxyError)) {
    return { title: 'Unexpected error', message: err instanceof Error ? err.message : String(err) };
  }
  if (isProxyTokenRejected(err.status, err.body)) {
    return { title: labels.proxyTokenRejected, message: labels.proxyTokenRejectedDetail };
  }
  const detail = `${err.message}${err.status ? ` (HTTP ${err.status})` : ''}`;
  // 502/504: Grafana's datasource proxy got no answer from the proxy; 0: the browser got none from Grafana.
  if (err.status === 0 || err.status === 502 || err.status === 504) {
    return {
      title: 'The Insights proxy is unreachable',
      message: `${labels.status.proxyUnreachable} through Grafana: ${detail}`,
    };
  }
  return { title: 'The Insights proxy failed', message: detail };
}
