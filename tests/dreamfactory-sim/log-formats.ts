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
