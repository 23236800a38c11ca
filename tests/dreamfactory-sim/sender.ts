/**
 * Sends DreamFactory log messages the way df-logger does, for tests, benchmarks and demo traffic: GELF over UDP
 * (a new socket per message, zlib, DreamFactory's 38-byte chunk header), and the plain-JSON udp, tcp (one connection
 * per message, no delimiter) and http (POST to `/`, form content type, success only on body `ok`) protocols.
 * Also generates realistic events: users with real session JWTs, admins, API-key-only calls, many services.
 * Loopback only.
 */
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { DfLevel, DfLogEvent, gelfDatagrams, jsonModeBody } from './log-formats';
import { prng } from './prng';
import { JWT_TTL_SECONDS, mintSessionToken } from './jwt';

export type WireFormat = 'gelf-udp' | 'json-udp' | 'json-tcp' | 'json-http';

/** Datagrams from one new socket (df-logger opens one per message). */
export async function sendUdpDatagrams(host: string, port: number, datagrams: Buffer[]): Promise<void> {
  const socket = createSocket('udp4');
  try {
    for (const datagram of datagrams) {
      await new Promise<void>((resolve, reject) => socket.send(datagram, port, host, (err) => (err ? reject(err) : resolve())));
    }
  } finally {
    socket.close();
  }
}

/** Returns the number of datagrams sent (0 when DreamFactory would drop the message: more than 128 pieces). */
export async function sendGelfUdp(host: string, port: number, event: DfLogEvent): Promise<number> {
  const datagrams = gelfDatagrams(event);
  await sendUdpDatagrams(host, port, datagrams);
  return datagrams.length;
}

export async function sendJsonUdp(host: string, port: number, event: DfLogEvent): Promise<void> {
  await sendUdpDatagrams(host, port, [Buffer.from(jsonModeBody(event), 'utf8')]);
}

/** Raw bytes over one TCP connection, closed after writing (DreamFactory's TcpLogger). */
export function sendTcpBytes(host: string, port: number, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port }, () => socket.end(bytes));
    socket.setTimeout(10_000, () => socket.destroy(new Error('TCP send timed out')));
    socket.on('error', reject);
    socket.on('close', (hadError) => (hadError ? undefined : resolve()));
    socket.resume();
  });
}

export function sendJsonTcp(host: string, port: number, event: DfLogEvent): Promise<void> {
  return sendTcpBytes(host, port, Buffer.from(jsonModeBody(event), 'utf8'));
}

/** Throws unless the receiver answers 200 `ok`, which is what DreamFactory's HttpLogger counts as delivered. */
export async function sendJsonHttp(host: string, port: number, event: DfLogEvent): Promise<void> {
  const response = await fetch(`http://${host}:${port}/`, {
    method: 'POST',
    // libcurl's default for a POST body without an explicit Content-Type.
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: jsonModeBody(event),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (response.status !== 200 || text !== 'ok') {
    throw new Error(`HTTP log receiver answered ${response.status} ${text.slice(0, 200)}`);
  }
}

export function sendEvent(format: WireFormat, host: string, port: number, event: DfLogEvent): Promise<unknown> {
  switch (format) {
    case 'gelf-udp':
      return sendGelfUdp(host, port, event);
    case 'json-udp':
      return sendJsonUdp(host, port, event);
    case 'json-tcp':
      return sendJsonTcp(host, port, event);
    case 'json-http':
      return sendJsonHttp(host, port, event);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Event generator

export interface GeneratorUser {
  id: number;
  email: string;
  name: string;
  is_sys_admin?: boolean;
}

export interface GenerateOptions {
  count: number;
  users: GeneratorUser[];
  /** JWT_SECRET of the simulated DreamFactory, so tokens in headers are ones it would accept. */
  jwtSecret: string;
  seed?: number;
  /** Epoch seconds of the first event; events are 10 ms apart by default. */
  startSeconds?: number;
  stepMs?: number;
  /** Put `seq` (0-based index) in `_event.request.parameters` and an `x-insights-seq` header, for loss accounting. */
  sequence?: boolean;
  /** Sequence number of the first event, for senders that generate in batches. */
  firstSequence?: number;
  /** Emit DreamFactory's `db._table.{table_name}.<verb>` twin before each DB table event (a `db.*` service map). */
  tableTwins?: boolean;
  host?: string;
  /** Share of calls made with only an API key (no session). */
  apiKeyOnlyShare?: number;
  /** Session tokens to reuse; by default one cache per JWT secret, shared by every call in this process. */
  tokens?: SessionTokens;
}

interface Endpoint {
  service: string;
  resource: string;
  methods: string[];
  adminOnly?: boolean;
}

const ENDPOINTS: Endpoint[] = [
  { service: 'db', resource: '_table/contact', methods: ['GET', 'GET', 'GET', 'POST', 'PATCH', 'DELETE'] },
  { service: 'db', resource: '_table/orders', methods: ['GET', 'GET', 'POST'] },
  { service: 'db', resource: '_schema', methods: ['GET'] },
  { service: 'files', resource: 'reports/q3.pdf', methods: ['GET', 'PUT'] },
  { service: 'email', resource: '', methods: ['POST'] },
  { service: 'user', resource: 'profile', methods: ['GET', 'POST'] },
  { service: 'system', resource: 'user', methods: ['GET', 'POST'], adminOnly: true },
  { service: 'system', resource: 'limit', methods: ['GET', 'PUT'], adminOnly: true },
];
const STATUSES = [200, 200, 200, 200, 200, 200, 201, 204, 400, 401, 404, 500];
const API_KEY = 'a6f3c9d2e1b0f4a7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1';

function statusLevel(status: number): DfLevel {
  return status >= 500 ? 'ERROR' : status >= 400 ? 'WARNING' : 'INFO';
}

/** The final ApiEvent name df-core fires: `{service}.{resource with / → .}.{verb}`. */
export function apiEventName(service: string, resource: string, method: string): string {
  return [service, ...resource.split('/').filter(Boolean), method.toLowerCase()].join('.');
}

/** Re-sign a user's token once an event falls within this long of its expiry (DreamFactory's TTL is 24 h). */
const RENEW_BEFORE_EXPIRY_SECONDS = 3600;

/**
 * Session tokens the way clients hold them: one per user, used for every call until it nears expiry, then a new one
 * (as a client refreshing its session would). Signing is the traffic generator's dearest step, so each token is
 * signed once, not once per message. Tokens are keyed by event time, so a backlog spread over a day stays valid
 * for each event's timestamp.
 */
export class SessionTokens {
  private readonly tokens = new Map<number, { issuedAt: number; expiresAt: number; token: Promise<string> }>();
  /** How many tokens were signed (for tests and benchmarks). */
  signed = 0;

  constructor(
    private readonly jwtSecret: string,
    private readonly issuer = 'http://127.0.0.1/api/v2/user/session'
  ) {}

  /** A token valid at `atSeconds` (epoch seconds) with at least an hour left. */
  forUser(user: GeneratorUser, atSeconds: number): Promise<string> {
    const held = this.tokens.get(user.id);
    if (held && held.issuedAt <= atSeconds && atSeconds < held.expiresAt - RENEW_BEFORE_EXPIRY_SECONDS) {
      return held.token;
    }
    const issuedAt = Math.floor(atSeconds);
    const token = mintSessionToken(this.jwtSecret, user, this.issuer, issuedAt);
    this.tokens.set(user.id, { issuedAt, expiresAt: issuedAt + JWT_TTL_SECONDS, token });
    this.signed += 1;
    return token;
  }
}

const sharedBySecret = new Map<string, SessionTokens>();

function sharedTokens(jwtSecret: string): SessionTokens {
  let tokens = sharedBySecret.get(jwtSecret);
  if (!tokens) {
    tokens = new SessionTokens(jwtSecret);
    sharedBySecret.set(jwtSecret, tokens);
  }
  return tokens;
}

/** Events as DreamFactory logs them with context `_event.request`, `_event.response`, `_platform.session`. */
export async function generateEvents(options: GenerateOptions): Promise<DfLogEvent[]> {
  const random = prng(options.seed ?? 1);
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
  const start = options.startSeconds ?? Date.now() / 1000;
  const step = (options.stepMs ?? 10) / 1000;
  const tokens = options.tokens ?? sharedTokens(options.jwtSecret);
  const admins = options.users.filter((u) => u.is_sys_admin);
  const events: DfLogEvent[] = [];
  for (let i = 0; events.length < options.count; i++) {
    const apiKeyOnly = random() < (options.apiKeyOnlyShare ?? 0.15) || options.users.length === 0;
    let endpoint = pick(ENDPOINTS);
    if (endpoint.adminOnly && (apiKeyOnly || admins.length === 0)) {
      endpoint = ENDPOINTS[0];
    }
    const user = apiKeyOnly ? undefined : pick(endpoint.adminOnly ? admins : options.users);
    const method = pick(endpoint.methods);
    const status = pick(STATUSES);
    const seq = options.sequence ? (options.firstSequence ?? 0) + i : undefined;
    const query = method === 'GET' ? `?limit=${1 + Math.floor(random() * 50)}` : '';
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': pick(['curl/8.5.0', 'Mozilla/5.0 (X11; Linux x86_64)', 'python-requests/2.32']),
      'x-dreamfactory-api-key': API_KEY,
    };
    const timestamp = Math.round((start + events.length * step) * 1e6) / 1e6;
    if (user) {
      const token = await tokens.forUser(user, timestamp);
      // Most clients use DreamFactory's header; some send the same token as a Bearer.
      if (random() < 0.8) {
        headers['x-dreamfactory-session-token'] = token;
      } else {
        headers.authorization = `Bearer ${token}`;
      }
    }
    const parameters: Record<string, unknown> = method === 'GET' ? { limit: query.slice(7) } : {};
    if (seq !== undefined) {
      parameters.seq = seq;
      headers['x-insights-seq'] = String(seq);
    }
    const uri = `/api/v2/${endpoint.service}${endpoint.resource ? `/${endpoint.resource}` : ''}${query}${seq !== undefined ? `${query ? '&' : '?'}seq=${seq}` : ''}`;
    const base: Omit<DfLogEvent, 'message'> = {
      level: statusLevel(status),
      timestamp,
      host: options.host ?? 'df01',
      event: {
        request: {
          api_version: '2.0',
          method,
          parameters: Object.keys(parameters).length ? parameters : [],
          headers,
          payload: method === 'GET' ? [] : { resource: [{ first_name: 'Zoë', last_name: 'Øster', note: 'a/b' }] },
          content: '',
          content_type: method === 'GET' ? '' : 'application/json',
          uri,
          service: endpoint.service,
          resource: endpoint.resource,
        },
        response: { status_code: status, content_type: 'application/json', content: status === 204 ? [] : { resource: [{ id: 1 }] }, format: 201 },
      },
      platform: user
        ? {
            session: {
              user: { id: user.id, name: user.name, email: user.email, is_sys_admin: !!user.is_sys_admin },
              app: { id: 1 },
              role: user.is_sys_admin ? [] : { id: 2, name: 'api-users' },
            },
          }
        : { session: { app: { id: 1 } } },
    };
    const name = apiEventName(endpoint.service, endpoint.resource, method);
    if (options.tableTwins && endpoint.resource.startsWith('_table/') && events.length < options.count - 1) {
      events.push({ ...base, message: apiEventName(endpoint.service, '_table/{table_name}', method) });
      base.timestamp = Math.round((start + events.length * step) * 1e6) / 1e6;
    }
    events.push({ ...base, message: name });
  }
  return events;
}
