/**
 * Typed client for DreamFactory's REST API (`/api/v2/...`), authenticated with an API key that never leaves the proxy.
 * DreamFactory wraps errors as {"error":{code,context,message,status_code}} with the message HTML-escaped
 * (docs/dreamfactory.md#envelopes-and-errors); they surface here as DreamFactoryError with DreamFactory's own message,
 * decoded, so callers can show it unchanged.
 */
import { decodeHTMLStrict } from 'entities';
import { DREAMFACTORY_API_KEY_HEADER } from '@shared/headers';
import type { Config } from '../config';

export type DfConfig = Config['dreamfactory'];

export interface DfErrorBody {
  code?: number;
  context?: unknown;
  message: string;
  status_code?: number;
}

export class DreamFactoryError extends Error {
  constructor(
    readonly status: number,
    readonly body: DfErrorBody,
    /** True when DreamFactory could not be reached at all (network error, timeout, not configured). */
    readonly unreachable = false
  ) {
    super(body.message);
    this.name = 'DreamFactoryError';
  }
}

export type QueryParams = Record<string, string | number | boolean | undefined>;

export interface ListEnvelope<T> {
  resource: T[];
  meta?: { count?: number };
}

export class DreamFactoryClient {
  constructor(
    readonly config: DfConfig,
    private readonly onRequest: (outcome: 'ok' | 'error' | 'unreachable') => void = () => undefined
  ) {}

  get configured(): boolean {
    return Boolean(this.config.url && this.config.apiKey);
  }

  async request<T>(method: string, path: string, options: { query?: QueryParams; body?: unknown } = {}): Promise<T> {
    if (!this.config.url || !this.config.apiKey) {
      throw new DreamFactoryError(503, { message: 'DreamFactory is not configured (DF_URL and DF_API_KEY).' }, true);
    }
    const url = new URL(`${this.config.url.replace(/\/+$/, '')}/api/v2/${path.replace(/^\/+/, '')}`);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) {
        url.searchParams.set(key, String(value));
      }
    }
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          accept: 'application/json',
          [DREAMFACTORY_API_KEY_HEADER]: this.config.apiKey,
          ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
    } catch (err) {
      this.onRequest('unreachable');
      const reason = (err as Error).name === 'TimeoutError' ? `timed out after ${this.config.timeoutMs} ms` : (err as Error).message;
      throw new DreamFactoryError(503, { message: `DreamFactory is unreachable at ${url.origin}: ${reason}` }, true);
    }
    const text = await response.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      this.onRequest('error');
      const error = (parsed as { error?: DfErrorBody } | undefined)?.error;
      throw new DreamFactoryError(
        response.status,
        error ? { ...error, message: decodeHTMLStrict(String(error.message)) } : { message: `DreamFactory answered HTTP ${response.status}` }
      );
    }
    this.onRequest('ok');
    return parsed as T;
  }

  get<T>(path: string, query?: QueryParams): Promise<T> {
    return this.request<T>('GET', path, { query });
  }

  /**
   * Every record of a system list (docs/dreamfactory.md#lists-and-paging). DreamFactory decides the page size (its
   * DB_MAX_RECORDS_RETURNED, whatever `limit` asked), so pages advance by what came back, and end on an empty page
   * or once `meta.count` records are in. Each page asks for ids above the last one received, in id order, so records
   * added or deleted between pages are neither skipped nor repeated.
   */
  async listAll<T extends { id: number | string }>(path: string, query: QueryParams = {}, pageSize = 1000): Promise<T[]> {
    const records: T[] = [];
    let lastId: number | undefined;
    for (;;) {
      const filter = [query.filter, lastId === undefined ? undefined : `id > ${lastId}`]
        .filter((part) => part !== undefined && part !== '')
        .map((part) => `(${String(part)})`)
        .join(' and ');
      const page = await this.get<ListEnvelope<T>>(path, {
        ...query,
        filter: filter || undefined,
        order: 'id asc',
        limit: pageSize,
        include_count: true,
      });
      const fresh = page.resource.filter((record) => lastId === undefined || Number(record.id) > lastId);
      records.push(...fresh);
      if (fresh.length === 0 || fresh.length >= (page.meta?.count ?? Infinity)) {
        return records;
      }
      lastId = fresh.reduce((max, record) => Math.max(max, Number(record.id)), lastId ?? -Infinity);
    }
  }
}
