/**
 * A decoded DreamFactory message → the Elasticsearch document, following the reference Logstash pipeline (gelf input
 * with remap + strip_leading_underscore, `type => "dreamfactory"`, host → source_hostname, JWT → user.id) and fixing
 * what it got wrong. README.md "What the proxy stores, field by field" documents every field; keep the two in step.
 * Pure: the message is not modified.
 */
import type { Config } from '../config';
import type { DropReason, IndexableEvent, ReceivedMessage } from '../pipeline-types';
import { eventId } from './event-id';
import { gelfLevel, Level, monologLevel } from './levels';
import { deeperThan, isObject, JsonObject } from './objects';
import { redactEvent } from './redact';
import { addRequestFields, normalizeObjectFields } from './request-fields';
import { attributeUser } from './user';

export interface TransformOptions {
  redact: boolean;
  redactKeys: string[];
  dropDuplicateTableEvents: boolean;
}

export type TransformResult = { event: IndexableEvent } | { drop: DropReason };

export function transformOptionsFromConfig(ingest: Config['ingest']): TransformOptions {
  return { redact: ingest.redact, redactKeys: ingest.redactKeys, dropDuplicateTableEvents: ingest.dropDuplicateTableEvents };
}

/** Deeper than any DreamFactory context; also keeps JSON.stringify and the field walks far from the stack limit. */
const MAX_DEPTH = 64;
/** Fields the transform consumes (or derives itself) rather than copies from the message. */
const CONSUMED = ['version', 'short_message', 'full_message', 'timestamp', 'level_original'];
/** The literal placeholder in the name of the twin event DreamFactory fires for DB table calls (contract §1.2). */
const TABLE_TWIN_MARKER = '{table_name}';
const JWT_FAILURE_TAG = '_jwt_decode_failure';
/** Year 10000: beyond it Elasticsearch's `date` and JavaScript's Date disagree. */
const MAX_EPOCH_SECONDS = 253402300800;

const keySets = new WeakMap<string[], Set<string>>();

function redactKeySet(keys: string[]): Set<string> {
  let set = keySets.get(keys);
  if (!set) {
    set = new Set(keys.map((k) => k.toLowerCase()));
    keySets.set(keys, set);
  }
  return set;
}

export function transformMessage(message: ReceivedMessage, options: TransformOptions): TransformResult {
  const body = message.body;
  if (deeperThan(body, MAX_DEPTH)) {
    return { drop: 'too_deep' };
  }
  const text = messageText(body);
  if (options.dropDuplicateTableEvents && text?.includes(TABLE_TWIN_MARKER)) {
    return { drop: 'duplicate_event' };
  }
  const seconds = epochSeconds(body.timestamp);
  const json = JSON.stringify(body);
  const id = eventId(message, json, seconds !== undefined);

  const doc: JsonObject = {};
  // Parsing the text back is the deep copy (cheaper than structuredClone), so the message is never modified.
  for (const [key, value] of Object.entries(JSON.parse(json) as JsonObject)) {
    // All leading underscores go, so `__id` cannot become Elasticsearch's reserved `_id`.
    const name = key.replace(/^_+/, '');
    if (name !== '') {
      doc[name] = value;
    }
  }
  for (const key of CONSUMED) {
    delete doc[key];
  }

  doc['@timestamp'] = seconds === undefined ? message.receivedAt.toISOString() : isoWithMicros(seconds);
  setOrDelete(doc, 'message', text);
  if (typeof body.short_message === 'string' && body.short_message.trim() !== '' && body.short_message !== text) {
    doc.short_message = body.short_message;
  }
  setHost(doc, body.host);
  setOrDelete(doc, 'source_host', message.remoteAddress);
  doc.log_source = 'dreamfactory';
  doc.type = 'dreamfactory';
  setLevel(doc, message.format === 'json' ? (monologLevel(body._level) ?? gelfLevel(body.level)) : gelfLevel(body.level), message.format === 'json' ? (body._level ?? body.level) : body.level);

  normalizeObjectFields(doc);
  const { user, jwtFailed } = attributeUser(doc.event, doc.platform);
  setOrDelete(doc, 'user', user);
  if (jwtFailed) {
    doc.tags = [...(Array.isArray(doc.tags) ? doc.tags : []), JWT_FAILURE_TAG];
  }
  if (options.redact) {
    redactEvent(doc, redactKeySet(options.redactKeys));
  }
  addRequestFields(doc.event);
  return { event: { id, doc } };
}

/** Logstash's remap: non-empty `full_message`, else `short_message`; then `message` (GELF HTTP) or `_message` (JSON modes). */
function messageText(body: JsonObject): string | undefined {
  const candidates = [body.full_message, body.short_message, body.message, body._message];
  const text = candidates.find((v): v is string => typeof v === 'string' && v.trim() !== '');
  if (text !== undefined) {
    return text;
  }
  const other = candidates.find((v) => v !== undefined && v !== null && typeof v !== 'string');
  return other === undefined ? undefined : JSON.stringify(other);
}

/** GELF `timestamp`: epoch seconds with optional decimals (numeric strings accepted, like Graylog). */
function epochSeconds(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
  return typeof n === 'number' && n > 0 && n < MAX_EPOCH_SECONDS ? n : undefined;
}

/** ISO 8601 UTC keeping DreamFactory's microseconds (`2024-05-27T08:53:20.123456Z`); Elasticsearch stores ms. */
function isoWithMicros(seconds: number): string {
  const micros = Math.round(seconds * 1e6);
  const iso = new Date(Math.floor(micros / 1000)).toISOString();
  return `${iso.slice(0, -1)}${String(micros % 1000).padStart(3, '0')}Z`;
}

/** `host` as a string would clash with ECS's `host` object: it becomes `source_hostname` and `host.name`. */
function setHost(doc: JsonObject, host: unknown): void {
  if (isObject(host)) {
    doc.host = host;
    return;
  }
  const name = typeof host === 'string' || typeof host === 'number' ? String(host).trim() : '';
  if (name === '') {
    delete doc.host;
    return;
  }
  doc.source_hostname = name;
  doc.host = { name };
}

function setLevel(doc: JsonObject, level: Level | undefined, raw: unknown): void {
  delete doc.level;
  if (level) {
    doc.level = level.level;
    doc.level_name = level.level_name;
  } else if (raw !== undefined && raw !== null) {
    // Kept as text: a value outside 0–7 must not poison the integer `level` field.
    doc.level_original = String(raw);
  }
}

function setOrDelete(doc: JsonObject, key: string, value: unknown): void {
  if (value === undefined) {
    delete doc[key];
  } else {
    doc[key] = value;
  }
}
