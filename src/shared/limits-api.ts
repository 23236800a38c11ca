/**
 * Wire types of the proxy's limit relay (`/api/limits`, `/api/limit-counters`, `/api/directory/*`), shared by the proxy
 * and the app pages. The proxy normalises DreamFactory's quirks (period index vs name, 200 on create, ids only) so
 * the UI sees one shape.
 */

/** DreamFactory's ten limit types (docs/dreamfactory.md#limit-types-and-keys). */
export type LimitType =
  | 'instance'
  | 'instance.user'
  | 'instance.each_user'
  | 'instance.role'
  | 'instance.service'
  | 'instance.user.service'
  | 'instance.each_user.service'
  | 'instance.service.endpoint'
  | 'instance.user.service.endpoint'
  | 'instance.each_user.service.endpoint';

export type LimitPeriod = 'minute' | 'hour' | 'day' | '7-day' | '30-day';

export type LimitVerb = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The one user_id besides a user's id that DreamFactory's limit validation lets through (it skips the lookup). */
export const USER_ID_WILDCARD = '*';

/** What the form sends to create or (partially) update a limit. */
export interface LimitInput {
  name: string;
  description?: string | null;
  type: LimitType;
  rate: number;
  period: LimitPeriod;
  user_id?: number | null;
  role_id?: number | null;
  service_id?: number | null;
  endpoint?: string | null;
  /** null = all verbs. */
  verb?: LimitVerb | null;
  is_active?: boolean;
}

/** One counter of a limit (DreamFactory's limit_cache entry). */
export interface LimitCounter {
  limitId: number;
  limitName?: string;
  key: string;
  attempts: number;
  max: number;
  remaining: number;
}

/** A limit as the pages show it: DreamFactory's record plus names, a human label and its counters. */
export interface LimitView {
  id: number;
  name: string;
  description: string | null;
  type: LimitType;
  typeLabel: string;
  rate: number;
  period: LimitPeriod;
  periodSeconds: number;
  isActive: boolean;
  userId: number | null;
  userName: string | null;
  roleId: number | null;
  roleName: string | null;
  serviceId: number | null;
  serviceName: string | null;
  endpoint: string | null;
  verb: LimitVerb | null;
  keyText: string;
  counters: LimitCounter[];
  createdDate?: string | null;
  lastModifiedDate?: string | null;
}

export interface LimitsResponse {
  limits: LimitView[];
}

export interface LimitCountersResponse {
  counters: LimitCounter[];
}

export const BULK_ACTIONS = ['activate', 'deactivate', 'delete', 'resetCounters'] as const;

export type BulkAction = (typeof BULK_ACTIONS)[number];

export interface BulkRequest {
  action: BulkAction;
  ids: number[];
}

export interface BulkResponse {
  /** Ids the action was applied to. */
  done: number[];
  /** Ids DreamFactory refused, with its message. */
  failed: Array<{ id: number; error: string }>;
}

/** What `/api/directory/:kind` lists for the form's pickers. */
export const DIRECTORY_KINDS = ['users', 'roles', 'services'] as const;

export type DirectoryKind = (typeof DIRECTORY_KINDS)[number];

/** A picker option fed from DreamFactory (users, roles, services). */
export interface DirectoryEntry {
  id: number;
  label: string;
  /** e.g. the user's email or the service type. */
  detail?: string;
}

export interface DirectoryResponse {
  entries: DirectoryEntry[];
}

/**
 * Every non-2xx answer of the relay. `field` names the form field a validation message concerns; `source` says
 * whether the proxy refused it before DreamFactory saw it or DreamFactory refused it.
 */
export interface RelayError {
  error: string;
  field?: keyof LimitInput;
  source: 'validation' | 'dreamfactory' | 'unreachable' | 'permission';
  /** DreamFactory's error code and context, when it answered. */
  dfCode?: number;
  dfContext?: unknown;
}
