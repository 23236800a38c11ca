/**
 * DreamFactory's Logstash connector (df-logger) message formats, byte-exact, without any network: the GELF UDP
 * datagrams (docs/dreamfactory.md#gelf-over-udp) and the plain-JSON bodies of its udp/tcp/http protocols
 * (docs/dreamfactory.md#plain-json-modes).
 */
import { createHash, randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';

export const DF_LEVELS = ['EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFO', 'DEBUG'] as const;
export type DfLevel = (typeof DF_LEVELS)[number];

const MONOLOG: Record<DfLevel, number> = { EMERGENCY: 600, ALERT: 550, CRITICAL: 500, ERROR: 400, WARNING: 300, NOTICE: 250, INFO: 200, DEBUG: 100 };

/** One log message as DreamFactory builds it before encoding. */
export interface DfLogEvent {
  /** The event name (default) or the service_event_map message. */
  message: string;
  level: DfLevel;
  /** Epoch seconds with microseconds, as PHP's microtime(true). */
  timestamp: number;
  /** gethostname() of the DreamFactory server. */
  host: string;
  /** `_event` context ({request, resource, response}); absent when the service has no context configured. */
  event?: Record<string, unknown>;
  /** `_platform` context ({config, session}). */
  platform?: Record<string, unknown>;
}

export const GELF_PIECE_BYTES = 8154;
export const GELF_MAX_PIECES = 128;

/**
 * PHP's json_encode: `/` escaped as `\/` (unless JSON_UNESCAPED_SLASHES) and every non-ASCII UTF-16 unit as a
 * lower-case `\uXXXX` (no JSON_UNESCAPED_UNICODE in df-logger).
 */
export function phpJsonEncode(value: unknown, options: { escapeSlashes: boolean }): string {
  let json = JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (options.escapeSlashes) {
    json = json.replace(/\//g, '\\/');
  }
  return json;
}

/** GelfMessage::toArray order: version, host, short_message (always null), full_message, timestamp, level, extras. */
export function gelfPayload(event: DfLogEvent): string {
  const message: Record<string, unknown> = {
    version: '1.1',
    host: event.host,
    short_message: null,
    full_message: event.message,
    timestamp: event.timestamp,
    level: DF_LEVELS.indexOf(event.level),
    _php_sapi: 'fpm-fcgi',
    _file: '/opt/dreamfactory/public/index.php',
  };
  if (event.event) {
    message._event = event.event;
  }
  if (event.platform) {
    message._platform = event.platform;
  }
  return phpJsonEncode(message, { escapeSlashes: true });
}

/**
 * The datagrams DreamFactory sends for one GELF message: gzcompress (zlib, default level → `78 9c`); one datagram up
 * to 8154 bytes, else 8154-byte pieces behind its 38-byte header (`1e 0f`, 32-byte SHA-256 id, u16 BE seq, u16 BE
 * count). More than 128 pieces: nothing is sent (an empty list).
 */
export function gelfDatagrams(event: DfLogEvent): Buffer[] {
  const compressed = deflateSync(Buffer.from(gelfPayload(event), 'utf8'));
  if (compressed.length <= GELF_PIECE_BYTES) {
    return [compressed];
  }
  const count = Math.ceil(compressed.length / GELF_PIECE_BYTES);
  if (count > GELF_MAX_PIECES) {
    return [];
  }
  const id = createHash('sha256').update(compressed).update(randomBytes(16)).digest();
  const pieces: Buffer[] = [];
  for (let seq = 0; seq < count; seq++) {
    const header = Buffer.alloc(38);
    header[0] = 0x1e;
    header[1] = 0x0f;
    id.copy(header, 2);
    header.writeUInt16BE(seq, 34);
    header.writeUInt16BE(count, 36);
    pieces.push(Buffer.concat([header, compressed.subarray(seq * GELF_PIECE_BYTES, (seq + 1) * GELF_PIECE_BYTES)]));
  }
  return pieces;
}

/** The plain JSON body of the udp/tcp/http protocols: context keys, `_message`, Monolog `_level`, unescaped slashes. */
export function jsonModeBody(event: DfLogEvent): string {
  const body: Record<string, unknown> = {};
  if (event.event) {
    body._event = event.event;
  }
  if (event.platform) {
    body._platform = event.platform;
  }
  body._message = event.message;
  body._level = MONOLOG[event.level];
  return phpJsonEncode(body, { escapeSlashes: false });
}

// ---------------------------------------------------------------------------------------------------------------
// Calls that carry credentials, as DreamFactory logs them with context `_event.request`, `_event.response` and
// `_platform.session` (docs/dreamfactory.md#context-and-secrets): the parsed body in `payload` AND the raw body string in `content`, the
// login response with the session JWT under both `session_token` and `session_id`, headers raw.

export interface LoginLogOptions {
  /** `POST api/v2/system/admin/session` instead of `POST api/v2/user/session`. */
  admin?: boolean;
  /** A form-encoded body (`email=…&password=…`) instead of JSON. */
  form?: boolean;
  user: { id: number; email: string; first_name: string; last_name: string; role?: { id: number; name: string } };
  password: string;
  /** The JWT DreamFactory answers with. */
  sessionToken: string;
  /** The app's API key the client sent. */
  apiKey: string;
  timestamp: number;
  host?: string;
  /** DreamFactory before 2026-05 also logged the session's own secrets under `_platform.session`. */
  sessionSecrets?: boolean;
}

const LOGIN_DATE = '2026-11-23 10:00:00';
const TOKEN_EXPIRY = '2026-11-24 10:00:00';

/** `_event.request` of a POST: the parsed body and the raw body string side by side. */
function loggedPost(service: string, resource: string, headers: Record<string, string>, payload: unknown, content: string, contentType: string): Record<string, unknown> {
  return { api_version: '2.0', method: 'POST', parameters: [], headers, payload, content, content_type: contentType, uri: `/api/v2/${service}/${resource}`, service, resource };
}

function requestHeaders(apiKey: string, contentType: string, sessionToken?: string): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': contentType, 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64)', 'x-dreamfactory-api-key': apiKey };
  if (sessionToken) {
    headers['x-dreamfactory-session-token'] = sessionToken;
  }
  return headers;
}

/** `user.session.post` / `system.admin.session.post`: the password in payload and content, the token in the response. */
export function loginLogEvent(options: LoginLogOptions): DfLogEvent {
  const { user, password, sessionToken, apiKey } = options;
  const credentials = options.admin ? { email: user.email, password, remember_me: false } : { email: user.email, password };
  const content = options.form
    ? Object.entries(credentials)
        .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
        .join('&')
    : JSON.stringify(credentials);
  const contentType = options.form ? 'application/x-www-form-urlencoded' : 'application/json';
  const resource = options.admin ? 'admin/session' : 'session';
  const service = options.admin ? 'system' : 'user';
  const name = `${user.first_name} ${user.last_name}`;
  const session: Record<string, unknown> = { user: { id: user.id, name, email: user.email, is_sys_admin: !!options.admin }, app: { id: 1 } };
  if (options.sessionSecrets) {
    Object.assign(session, { session_token: sessionToken, api_key: apiKey });
  }
  return {
    message: `${service}.${resource.replace('/', '.')}.post`,
    level: 'INFO',
    timestamp: options.timestamp,
    host: options.host ?? 'df01',
    event: {
      request: loggedPost(service, resource, requestHeaders(apiKey, contentType), credentials, content, contentType),
      response: {
        status_code: 200,
        content_type: 'application/json',
        content: {
          session_token: sessionToken,
          session_id: sessionToken,
          id: user.id,
          name,
          first_name: user.first_name,
          last_name: user.last_name,
          email: user.email,
          is_sys_admin: !!options.admin,
          last_login_date: LOGIN_DATE,
          host: options.host ?? 'df01',
          token_expiry_date: TOKEN_EXPIRY,
          ...(user.role ? { role: user.role.name, role_id: user.role.id } : {}),
        },
        format: 201,
      },
    },
    platform: { session },
  };
}

export interface UserCreationLogOptions {
  /** The admin making the call, with the session token they send. */
  admin: { id: number; email: string; name: string; sessionToken: string };
  apiKey: string;
  user: { email: string; first_name: string; last_name: string; password: string };
  newId: number;
  timestamp: number;
  host?: string;
}

/** `system.user.post`: the new user's password in payload and content, the admin's token in the headers. */
export function userCreationLogEvent(options: UserCreationLogOptions): DfLogEvent {
  const { admin, user } = options;
  const payload = { resource: [{ email: user.email, first_name: user.first_name, last_name: user.last_name, name: `${user.first_name} ${user.last_name}`, password: user.password, is_active: true }] };
  return {
    message: 'system.user.post',
    level: 'INFO',
    timestamp: options.timestamp,
    host: options.host ?? 'df01',
    event: {
      request: loggedPost('system', 'user', requestHeaders(options.apiKey, 'application/json', admin.sessionToken), payload, JSON.stringify(payload), 'application/json'),
      response: { status_code: 200, content_type: 'application/json', content: { resource: [{ id: options.newId }] }, format: 201 },
    },
    platform: { session: { user: { id: admin.id, name: admin.name, email: admin.email, is_sys_admin: true }, app: { id: 1 }, role: [] } },
  };
}
