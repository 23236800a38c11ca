/**
 * The datasource's one door to the Insights proxy: Grafana's datasource proxy (`instanceSettings.url`), whose
 * plugin.json routes add the proxy token server-side.
 */
import { getBackendSrv, isFetchError } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';
import { isProxyTokenRejected } from '../grafanaProxy';
import { labels } from '../selectors';

export class InsightsFetchError extends Error {
  constructor(
    message: string,
    /** HTTP status, 0 when no response came back. */
    readonly status: number,
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
    return String(fromBody || err.statusText || err.message || `HTTP ${err.status}`);
  }
  return err instanceof Error ? err.message : String(err);
}

export async function proxyFetch<T>(
  baseUrl: string,
  path: string,
  options: { method?: 'GET' | 'POST'; data?: unknown; params?: Record<string, string>; requestId?: string } = {}
): Promise<T> {
  try {
    const response = await lastValueFrom(
      getBackendSrv().fetch<T>({
        url: `${baseUrl}/${path}`,
        method: options.method ?? 'GET',
        data: options.data,
        params: options.params,
        requestId: options.requestId,
        showErrorAlert: false,
      })
    );
    return response.data;
  } catch (err) {
    throw new InsightsFetchError(
      messageOf(err),
      isFetchError(err) ? (err.status ?? 0) : 0,
      isFetchError(err) ? err.data : undefined
    );
  }
}
