/**
 * Who a request is, and whether DreamFactory lets it through, as df-core's session setup and AccessCheck middleware
 * decide: a bad session token is refused first; system admins may do anything; everyone else needs a role, which a
 * non-admin session gets only through an app (the API key) — so a non-admin token without an API key is refused with
 * "No API Key provided". The simulator has one app (its API key), whose role may use every service, and non-admin
 * users' roles may use every service but `system`.
 */
import type { FastifyRequest } from 'fastify';
import { DfError } from './errors';
import { verifySessionToken } from './jwt';
import type { Query } from './list-query';
import type { SimStore } from './store';

export interface Identity {
  /** The session user, if a valid session token came with the request. */
  userId?: number;
  /** The role limits see (the user's role in the app); undefined for admins and API-key-only calls. */
  roleId?: number;
  auth: 'session' | 'apiKey' | 'none';
  isAdmin: boolean;
  /** The called service (first path segment after /api/v2/) and the rest of the path. */
  service: string;
  resource: string;
}

const NO_CREDENTIALS =
  'No session token (JWT) or API Key detected in request. Please send in X-DreamFactory-Session-Token and/or ' +
  'X-DreamFactory-API-Key request header. You can also use URL query parameters session_token and/or api_key.';
const NO_API_KEY =
  "No API Key provided. Please provide a valid API Key using X-DreamFactory-API-Key request header or 'api_key' url query parameter.";
const NO_SESSION =
  "No session token (JWT) provided. Please provide a valid JWT using X-DreamFactory-Session-Token request header or 'session_token' url query parameter.";
const NO_ROLE = 'Role not found. A role may not be assigned to you or your application.';

/** Login is open to anyone (DreamFactory's access exceptions). */
const OPEN_ROUTES = new Set(['POST /api/v2/user/session', 'POST /api/v2/system/admin/session']);

const header = (request: FastifyRequest, name: string) => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** `/api/v2/{service}/{resource}` → service and resource (the resource keeps its case and slashes). */
export function routeOf(path: string): { service: string; resource: string } {
  const [service = '', ...rest] = path.replace(/^\/api\/v2\/?/, '').split('/');
  return { service: service.toLowerCase(), resource: rest.join('/') };
}

export async function authenticate(
  request: FastifyRequest,
  sim: { apiKey: string; jwtSecret: string; store: SimStore }
): Promise<Identity> {
  const query = request.query as Query;
  const path = request.url.split('?')[0];
  const { service, resource } = routeOf(path);
  const bearer = header(request, 'authorization')?.match(/^Bearer\s+(.+)$/i)?.[1];
  const token = bearer ?? header(request, 'x-dreamfactory-session-token') ?? query.session_token;
  const apiKey = header(request, 'x-dreamfactory-api-key') ?? query.api_key;
  const base = { service, resource, isAdmin: false };

  let userId: number | undefined;
  if (token) {
    const claims = await verifySessionToken(sim.jwtSecret, token);
    const user = sim.store.users.find((u) => u.id === claims.user_id && u.is_active);
    if (!user) {
      throw new DfError(401, 'Unauthorized. User is not authenticated.');
    }
    userId = user.id;
    if (sim.store.isAdmin(user.id)) {
      return { ...base, userId, auth: 'session', isAdmin: true };
    }
  }
  const auth = userId !== undefined ? 'session' : apiKey ? 'apiKey' : 'none';
  if (OPEN_ROUTES.has(`${request.method} ${path.replace(/\/+$/, '')}`)) {
    return { ...base, userId, auth };
  }
  if (!apiKey && !token) {
    throw new DfError(400, NO_CREDENTIALS);
  }
  const app = apiKey === sim.apiKey;
  if (!app) {
    if (!apiKey) {
      throw new DfError(400, NO_API_KEY);
    }
    throw token ? new DfError(403, NO_ROLE) : new DfError(400, NO_SESSION);
  }
  if (userId === undefined) {
    return { ...base, auth: 'apiKey' };
  }
  if (service === 'system') {
    const component = resource.toLowerCase() ? `component '${resource.toLowerCase()}' of ` : '';
    throw new DfError(
      403,
      `Access Forbidden. ${request.method} access to ${component}service 'system' is not allowed by this user's role.`
    );
  }
  return { ...base, userId, roleId: sim.store.userRoles.get(userId), auth: 'session' };
}
