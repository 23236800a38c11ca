/**
 * Typed client for DreamFactory's REST API (`/api/v2/...`), authenticated with an API key, or with an admin session
 * when admin credentials are configured (admin sessions are exempt from DreamFactory's limits, so the proxy's own calls
 * never count against an instance limit and a tripped one can still be reset; docs/dreamfactory.md#the-proxys-credentials).
 * Credentials never leave the proxy. DreamFactory wraps errors as {"error":{code,context,message,status_code}} with the message HTML-escaped
 * (docs/dreamfactory.md#envelopes-and-errors); they surface here as DreamFactoryError with DreamFactory's own message,
 * decoded, so callers can show it unchanged.
 */
import { decodeHTMLStrict } from 'entities';
import { DREAMFACTORY_API_KEY_HEADER, DREAMFACTORY_SESSION_TOKEN_HEADER } from '@shared/headers';
import type { DreamFactoryAuth } from '@shared/status-api';
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

  /**
   * DreamFactory refused the proxy's own credentials rather than the request: 401, a failed admin login, or the 400s
   * its auth check answers for an unknown API key or a missing one (docs/dreamfactory.md#the-proxys-credentials).
   */
  get credentialsRefused(): boolean {
    return (
      !this.unreachable &&
      (this.status === 401 || (this.status === 400 && CREDENTIAL_REFUSALS.some((start) => this.message.startsWith(start))))
    );
  }
}

/** How DreamFactory's auth check begins its 400 answers when the credentials themselves are wrong. */
const CREDENTIAL_REFUSALS = ['No session token (JWT)', 'No API Key provided'];

/** A session is renewed this long before DreamFactory would expire it. */
const SESSION_RENEW_MARGIN_MS = 5 * 60 * 1000;

interface AdminSession {
  token: string;
  /** Epoch ms after which the token is renewed before use. */
  renewAt: number;
}

/** DreamFactory refused the proxy's own credentials (see `credentialsRefused`), or they lack the admin role (403). */
export function refusesProxyCredentials(err: DreamFactoryError): boolean {
  return err.credentialsRefused || (!err.unreachable && err.status === 403);
}

/**
 * A failed DreamFactory call in one sentence: why it was unreachable, that it refused the proxy's credentials (naming
 * the settings that hold them, `DreamFactoryClient.credentialSettings`), or what it said.
 */
export function explainDreamFactoryError(err: DreamFactoryError, credentialSettings: string): string {
  if (err.unreachable) {
    return err.message;
  }
  if (refusesProxyCredentials(err)) {
    return `DreamFactory refused the proxy's credentials (${credentialSettings}, HTTP ${err.status}): ${err.message}`;
  }
  return `DreamFactory answered HTTP ${err.status}: ${err.message}`;
}

export type QueryParams = Record<string, string | number | boolean | undefined>;

export interface ListEnvelope<T> {
  resource: T[];
  meta?: { count?: number };
}

export class DreamFactoryClient {
  private session: AdminSession | undefined;
  private login: Promise<AdminSession> | undefined;

  constructor(
    readonly config: DfConfig,
    private readonly onRequest: (outcome: 'ok' | 'error' | 'unreachable') => void = () => undefined
  ) {}

  get configured(): boolean {
    return Boolean(this.config.url && (this.config.apiKey || this.adminLogin));
  }

  /** Which credentials the proxy presents: an admin session when admin credentials are set, else the API key. */
  get auth(): DreamFactoryAuth {
    return this.adminLogin ? 'admin-session' : 'api-key';
  }

  /** The settings that hold the credentials DreamFactory sees, for messages that tell an admin what to fix. */
  get credentialSettings(): string {
    return this.adminLogin ? 'DF_ADMIN_EMAIL/DF_ADMIN_PASSWORD' : 'DF_API_KEY';
  }

  async request<T>(method: string, path: string, options: { query?: QueryParams; body?: unknown } = {}): Promise<T> {
    if (!this.configured) {
      throw new DreamFactoryError(
        503,
        { message: 'DreamFactory is not configured (DF_URL and DF_API_KEY, or DF_ADMIN_EMAIL and DF_ADMIN_PASSWORD).' },
        true
      );
    }
    if (!this.adminLogin) {
      return this.send<T>(method, path, options);
    }
    const session = await this.adminSession();
    try {
      return await this.send<T>(method, path, options, session.token);
    } catch (err) {
      // A session DreamFactory dropped early (restart, logout, blacklisted token): log in again once.
      if (err instanceof DreamFactoryError && err.status === 401 && this.session === session) {
        this.session = undefined;
        return this.send<T>(method, path, options, (await this.adminSession()).token);
      }
      throw err;
    }
  }

  private get adminLogin(): { email: string; password: string } | undefined {
    const { adminEmail: email, adminPassword: password } = this.config;
    return email && password ? { email, password } : undefined;
  }

  /** The current admin session, logging in when there is none or it nears expiry; concurrent callers share one login. */
  private async adminSession(): Promise<AdminSession> {
    if (this.session && Date.now() < this.session.renewAt) {
      return this.session;
    }
    this.login ??= this.logIn().finally(() => {
      this.login = undefined;
    });
    return (this.session = await this.login);
  }

  private async logIn(): Promise<AdminSession> {
    const credentials = this.adminLogin!;
    try {
      const answer = await this.send<{ session_token?: string }>('POST', 'system/admin/session', { body: credentials });
      if (!answer?.session_token) {
        throw new DreamFactoryError(502, { message: 'DreamFactory answered the admin login without a session token.' });
      }
      return { token: answer.session_token, renewAt: sessionExpiry(answer.session_token) - SESSION_RENEW_MARGIN_MS };
    } catch (err) {
      if (err instanceof DreamFactoryError && !err.unreachable) {
        // Any refusal of the login is a credentials problem, whatever status DreamFactory chose for it.
        throw new DreamFactoryError(401, { ...err.body, message: `Admin login as ${credentials.email} failed: ${err.message}` });
      }
      throw err;
    }
  }

  private async send<T>(method: string, path: string, options: { query?: QueryParams; body?: unknown }, sessionToken?: string): Promise<T> {
    const url = new URL(`${this.config.url!.replace(/\/+$/, '')}/api/v2/${path.replace(/^\/+/, '')}`);
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
          ...(this.config.apiKey ? { [DREAMFACTORY_API_KEY_HEADER]: this.config.apiKey } : {}),
          ...(sessionToken ? { [DREAMFACTORY_SESSION_TOKEN_HEADER]: sessionToken } : {}),
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

/** When a DreamFactory session JWT expires (its `exp` claim), in epoch ms; unknown → treated as expiring in an hour. */
function sessionExpiry(token: string): number {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
    if (typeof claims.exp === 'number') {
      return claims.exp * 1000;
    }
  } catch {
    // Not a JWT we can read: fall through to a conservative renewal time.
  }
  return Date.now() + 60 * 60 * 1000;
}
