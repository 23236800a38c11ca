/**
 * Grafana's BackendSrv over window.fetch, keeping its contract: `fetch()` returns a cold Observable that emits one
 * FetchResponse and completes; a non-2xx status errors with a FetchError ({status, statusText, data, config}) whose
 * `data` Grafana always makes an object with a `message`; object bodies go as JSON; `params` become the query
 * string; unsubscribing aborts the request.
 */
import type { BackendSrv, BackendSrvRequest, FetchError, FetchResponse } from '@grafana/runtime';
import { Observable, lastValueFrom } from 'rxjs';

function withParams(url: string, params?: BackendSrvRequest['params']): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined && item !== null) {
        query.append(key, String(item));
      }
    }
  }
  const qs = query.toString();
  const absolute = /^(https?:)?\//.test(url) ? url : `/${url}`;
  return qs ? `${absolute}${absolute.includes('?') ? '&' : '?'}${qs}` : absolute;
}

async function parseBody(response: Response, responseType: BackendSrvRequest['responseType']): Promise<unknown> {
  switch (responseType) {
    case 'blob':
      return response.blob();
    case 'arraybuffer':
      return response.arrayBuffer();
    case 'text':
      return response.text();
    default: {
      const text = await response.text();
      try {
        return text ? JSON.parse(text) : undefined;
      } catch {
        return text;
      }
    }
  }
}

/** Grafana's processRequestError: no body, a text body and a body with only `error` all get a `message`. */
function errorData(data: unknown, statusText: string): unknown {
  if (data === undefined || data === null || data === '') {
    return { message: 'Unexpected error' };
  }
  if (typeof data === 'string') {
    return { message: data, error: statusText, response: data };
  }
  const body = data as { message?: unknown; error?: unknown };
  return typeof body === 'object' && !body.message && typeof body.error === 'string'
    ? { ...body, message: body.error }
    : data;
}

function fetchObservable<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
  return new Observable<FetchResponse<T>>((subscriber) => {
    const abort = new AbortController();
    const headers = new Headers(options.headers ?? {});
    let body: BodyInit | undefined;
    if (options.data !== undefined && options.data !== null) {
      const isRaw =
        typeof options.data === 'string' || options.data instanceof FormData || options.data instanceof Blob;
      body = isRaw ? (options.data as BodyInit) : JSON.stringify(options.data);
      if (!isRaw && !headers.has('content-type')) {
        headers.set('content-type', 'application/json');
      }
    }
    const method = (options.method ?? 'GET').toUpperCase();
    window
      .fetch(withParams(options.url, options.params), {
        method,
        headers,
        body,
        signal: abort.signal,
        credentials: 'same-origin',
      })
      .then(async (response) => {
        const data = (await parseBody(response, options.responseType)) as T;
        const result: FetchResponse<T> = {
          data,
          status: response.status,
          statusText: response.statusText,
          ok: response.ok,
          headers: response.headers,
          redirected: response.redirected,
          type: response.type,
          url: response.url,
          config: options,
        };
        if (!response.ok) {
          const error: FetchError = {
            status: response.status,
            statusText: response.statusText,
            data: errorData(data, response.statusText),
            config: options,
          };
          subscriber.error(error);
          return;
        }
        subscriber.next(result);
        subscriber.complete();
      })
      .catch((err: unknown) => {
        if (!abort.signal.aborted) {
          // Network failures reach callers as Grafana's do: a FetchError without an HTTP status.
          subscriber.error({
            status: 0,
            statusText: (err as Error).message,
            data: { message: (err as Error).message },
            config: options,
          });
        }
      });
    return () => abort.abort();
  });
}

function request<T>(method: string, url: string, data?: unknown, options?: Partial<BackendSrvRequest>): Promise<T> {
  return lastValueFrom(fetchObservable<T>({ ...options, url, method, data })).then((response) => response.data);
}

export function createBackendSrv(): BackendSrv {
  const srv: Partial<BackendSrv> = {
    fetch: fetchObservable,
    request: <T>(options: BackendSrvRequest) => request<T>(options.method ?? 'GET', options.url, options.data, options),
    datasourceRequest: <T>(options: BackendSrvRequest) => lastValueFrom(fetchObservable<T>(options)),
    get: <T>(
      url: string,
      params?: BackendSrvRequest['params'],
      _requestId?: string,
      options?: Partial<BackendSrvRequest>
    ) => request<T>('GET', url, undefined, { ...options, params }),
    delete: <T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>) =>
      request<T>('DELETE', url, data, options),
    post: <T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>) =>
      request<T>('POST', url, data, options),
    put: <T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>) =>
      request<T>('PUT', url, data, options),
    patch: <T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>) =>
      request<T>('PATCH', url, data, options),
  };
  // The rest of BackendSrv (websocket streams, chunked fetch) is not something our plugin uses.
  return srv as BackendSrv;
}
