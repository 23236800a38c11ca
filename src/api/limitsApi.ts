/**
 * Typed calls of the proxy's limit relay, and how its failures read to a user. Pages call these, never fetch directly.
 */
import type {
  BulkAction,
  BulkResponse,
  DirectoryKind,
  DirectoryResponse,
  LimitCountersResponse,
  LimitInput,
  LimitsResponse,
  LimitView,
  RelayError,
} from '@shared/limits-api';
import { describeProxyFailure, ProxyError, type ProxyClient, type ProxyFailure } from './proxyClient';

export class LimitsApi {
  constructor(private readonly client: ProxyClient) {}

  list(): Promise<LimitsResponse> {
    return this.client.get<LimitsResponse>('limits');
  }

  get(id: number): Promise<LimitView> {
    return this.client.get<LimitView>(`limits/${id}`);
  }

  create(input: LimitInput): Promise<LimitView> {
    return this.client.request<LimitView>('POST', 'limits', { body: input });
  }

  update(id: number, changes: Partial<LimitInput>): Promise<LimitView> {
    return this.client.request<LimitView>('PATCH', `limits/${id}`, { body: changes });
  }

  remove(id: number): Promise<unknown> {
    return this.client.request('DELETE', `limits/${id}`);
  }

  bulk(action: BulkAction, ids: number[]): Promise<BulkResponse> {
    return this.client.request<BulkResponse>('POST', 'limits/bulk', { body: { action, ids } });
  }

  counters(limitId?: number): Promise<LimitCountersResponse> {
    return this.client.get<LimitCountersResponse>('limit-counters', limitId === undefined ? undefined : { limitId });
  }

  resetCounter(limitId: number): Promise<unknown> {
    return this.client.request('DELETE', `limit-counters/${limitId}`);
  }

  /** Flushes DreamFactory's whole limit store: every counter of every limit. */
  resetAllCounters(): Promise<unknown> {
    return this.client.request('DELETE', 'limit-counters', { params: { all: 'true' } });
  }

  directory(kind: DirectoryKind): Promise<DirectoryResponse> {
    return this.client.get<DirectoryResponse>(`directory/${kind}`);
  }
}

export const PERMISSION_DENIED = "You don't have permission to change limits";

/** A failure as the limit pages show it, with the form field it concerns if any. */
export interface Failure extends ProxyFailure {
  field?: RelayError['field'];
}

function relayBody(err: ProxyError): Partial<RelayError> {
  return typeof err.body === 'object' && err.body !== null ? (err.body as Partial<RelayError>) : {};
}

/** A failed relay call as the limit pages show it: the relay's envelope says whose refusal it was. */
export function describeFailure(err: unknown): Failure {
  if (!(err instanceof ProxyError)) {
    return describeProxyFailure(err);
  }
  const body = relayBody(err);
  if (err.status === 403 || body.source === 'permission') {
    return { title: PERMISSION_DENIED, message: body.error ?? err.message };
  }
  if (body.source === 'unreachable') {
    return { title: 'DreamFactory is unreachable', message: err.message };
  }
  if (body.source === 'validation' || body.source === 'dreamfactory') {
    const title = body.source === 'validation' ? 'The limit is not valid' : 'DreamFactory refused the request';
    return { title, message: err.message, field: body.field };
  }
  // No relay envelope: the proxy itself or Grafana's datasource proxy answered.
  return describeProxyFailure(err);
}
