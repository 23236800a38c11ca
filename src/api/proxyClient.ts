/**
 * The app pages' typed client for the Insights proxy. Every call goes through Grafana's datasource proxy for the
 * Insights datasource, whose plugin.json routes add the proxy token server-side and enforce roles.
 */
import { getBackendSrv, getDataSourceSrv, FetchError, config } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';
import { DATASOURCE_TYPE } from '../constants';
import { isProxyTokenRejected } from '../grafanaProxy';
import { labels } from '../selectors';

export class ProxyError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** The proxy's JSON error body, e.g. a DreamFactory validation message with the field it concerns. */
    readonly body?: unknown
  ) {
    super(message);
  }
}

export function getInsightsDatasources(): Array<{ uid: string; name: string }> {
  return getDataSourceSrv()
    .getList({ type: DATASOURCE_TYPE })
    .map((ds) => ({ uid: ds.uid, name: ds.name }));
}

/** The datasource whose proxy routes the app uses: the configured uid, else the first Insights datasource. */
export function findInsightsDatasource(preferredUid?: string): { uid: string; name: string } | undefined {
  const list = getInsightsDatasources();
  return (preferredUid && list.find((ds) => ds.uid === preferredUid)) || list[0];
}

export type WriteRole = 'Admin' | 'Editor';

/**
 * The signed-in user's role in this organization: what Grafana checks a route's `reqRole` against. Being a Grafana
 * server admin grants nothing there, so it grants nothing here (docs/grafana.md).
 */
export function currentRole(): 'Admin' | 'Editor' | 'Viewer' {
  const { orgRole } = config.bootData.user;
  return orgRole === 'Admin' || orgRole === 'Editor' ? orgRole : 'Viewer';
}

/** Whether the signed-in user may change limits, given the app's configured minimum role. */
export function canWrite(writeRole: WriteRole = 'Admin'): boolean {
  const role = currentRole();
  return role === 'Admin' || (role === 'Editor' && writeRole === 'Editor');
}

export class ProxyClient {
  constructor(readonly datasourceUid: string) {}

  private url(path: string, write: boolean): string {
    // Editors write through the `editor/` routes (reqRole Editor); the proxy accepts those only when configured to.
    const prefix = write && currentRole() === 'Editor' ? 'editor/api' : 'api';
    return `/api/datasources/proxy/uid/${this.datasourceUid}/${prefix}/${path.replace(/^\/+/, '')}`;
  }

  async request<T>(method: string, path: string, body?: unknown, params?: Record<string, string | number>): Promise<T> {
    try {
      const response = await lastValueFrom(
        getBackendSrv().fetch<T>({ method, url: this.url(path, method !== 'GET'), data: body, params, showErrorAlert: false })
      );
      return response.data;
    } catch (err) {
      const fetchError = err as FetchError<{ error?: string; message?: string }>;
      const data = fetchError.data;
      const message =
        (isProxyTokenRejected(fetchError.status, data) && labels.proxyTokenRejected) ||
        (typeof data === 'object' && data && (data.error || data.message)) ||
        fetchError.statusText ||
        (err as Error).message ||
        'The Insights proxy could not be reached';
      throw new ProxyError(String(message), fetchError.status ?? 0, data);
    }
  }

  get<T>(path: string, params?: Record<string, string | number>): Promise<T> {
    return this.request<T>('GET', path, undefined, params);
  }
}
