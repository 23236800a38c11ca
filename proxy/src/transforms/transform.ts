/**
 * A decoded DreamFactory message → the Elasticsearch document, following the reference Logstash pipeline (gelf input
 * with remap + strip_leading_underscore, `type => "dreamfactory"`, host → source_hostname, JWT → user.id) and fixing
 * what it got wrong. README.md "What the proxy stores, field by field" documents every field; keep the two in step.
 *
 * The transform owns the freshly parsed body and works on it in place: one walk checks the depth limit and redacts,
 * the top level is renamed into the document, and the document is serialised once — the text the queue stores and
 * the bulk request sends.
 */
import type { Config } from '../config';
import type { DropReason, IndexableEvent, ReceivedMessage } from '../pipeline-types';
import { eventId } from './event-id';
import { gelfLevel, Level, monologLevel } from './levels';
import { isObject, JsonObject } from './objects';
import type { NodeRedactor } from '../redaction';
import { addRequestFields, normalizeObjectFields } from './request-fields';
import { attributeUser } from './user';

export interface TransformOptions {
  /** Absent: nothing is redacted (`ingest.redact=false`). */
  redactor?: NodeRedactor;
  dropDuplicateTableEvents: boolean;
}

export type TransformResult = { event: IndexableEvent } | { drop: DropReason };

/** `redactor` carries the configured rules (proxy/src/redaction); it is left out when `ingest.redact` is off. */
export function transformOptionsFromConfig(ingest: Config['ingest'], redactor: NodeRedactor): TransformOptions {
  return { redactor: ingest.redact ? redactor : undefined, dropDuplicateTableEvents: ingest.dropDuplicateTableEvents };
}

/** Deeper than any DreamFactory context; also keeps JSON.stringify and the walk far from the stack limit. */
const MAX_DEPTH = 64;
/** Fields the transform consumes rather than copies from the message. */
const CONSUMED = ['version', 'short_message', 'full_message', 'timestamp', 'level_original'];
/**
 * Not copied either: the transform sets each of these itself (or leaves it out). Properties are only ever added, never
 * deleted (an absent one is left undefined, which JSON.stringify skips): V8 turns an object whose property was deleted
 * into a slow dictionary, and serialising those costs more.
 */
const NOT_COPIED = new Set([...CONSUMED, '@timestamp', 'message', 'host', 'source_host', 'log_source', 'type', 'level', 'user']);
/**
 * The literal placeholder in the name of the twin event DreamFactory fires for DB table calls
 * (docs/dreamfactory.md#what-gets-logged).
 */
const TABLE_TWIN_MARKER = '{table_name}';
const JWT_FAILURE_TAG = '_jwt_decode_failure';
/** Year 10000: beyond it Elasticsearch's `date` and JavaScript's Date disagree. */
const MAX_EPOCH_SECONDS = 253402300800;
const LEADING_UNDERSCORES = /^_+/;

/** Transforms `message.body` in place (the caller hands over ownership) into a serialised, identified document. */
export function transformMessage(message: ReceivedMessage, options: TransformOptions): TransformResult {
  const body = message.body;
  const text = messageText(body);
  if (options.dropDuplicateTableEvents && text?.includes(TABLE_TWIN_MARKER)) {
    return { drop: 'duplicate_event' };
  }
  const seconds = epochSeconds(body.timestamp);

  const doc: JsonObject = {};
  for (const key of Object.keys(body)) {
    // All leading underscores go, so `__id` cannot become Elasticsearch's reserved `_id`.
    const name = key.charCodeAt(0) === 0x5f ? key.replace(LEADING_UNDERSCORES, '') : key;
    if (name !== '' && !NOT_COPIED.has(name)) {
      doc[name] = body[key];
    }
  }
  // Attribution reads the tokens before the walk redacts them.
  const { user, jwtFailed } = attributeUser(doc.event, doc.platform);
  const timestamp = seconds === undefined ? message.receivedAt.toISOString() : isoWithMicros(seconds);
  doc['@timestamp'] = timestamp;
  setIfDefined(doc, 'message', text);
  if (typeof body.short_message === 'string' && body.short_message.trim() !== '' && body.short_message !== text) {
    doc.short_message = body.short_message;
  }
  setHost(doc, body.host);
  setIfDefined(doc, 'source_host', message.remoteAddress);
  doc.log_source = 'dreamfactory';
  doc.type = 'dreamfactory';
  setLevel(doc, message.format === 'json' ? (monologLevel(body._level) ?? gelfLevel(body.level)) : gelfLevel(body.level), message.format === 'json' ? (body._level ?? body.level) : body.level);
  setIfDefined(doc, 'user', user);
  if (!walk(doc, 0, options.redactor, undefined)) {
    return { drop: 'too_deep' };
  }

  normalizeObjectFields(doc);
  if (jwtFailed) {
    doc.tags = [...(Array.isArray(doc.tags) ? doc.tags : []), JWT_FAILURE_TAG];
  }
  addRequestFields(doc.event);
  return { event: { id: eventId(message, seconds !== undefined), timestamp, json: JSON.stringify(doc) } };
}

/**
 * One pass over the body: false as soon as nesting reaches MAX_DEPTH; otherwise every secret key's value, every string
 * the redactor recognises and every key that is itself a token is replaced in place. Recursion is bounded by MAX_DEPTH.
 */
function walk(node: object, depth: number, redactor: NodeRedactor | undefined, key: string | undefined): boolean {
  if (depth >= MAX_DEPTH) {
    return false;
  }
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const value: unknown = node[i];
      if (typeof value === 'string') {
        if (redactor) {
          node[i] = redactor.redactString(value, key);
        }
      } else if (value !== null && typeof value === 'object' && !walk(value, depth + 1, redactor, key)) {
        return false;
      }
    }
    return true;
  }
  const object = node as JsonObject;
  for (const name in object) {
    const value = object[name];
    if (redactor?.isSecretKey(name)) {
      // Every leaf under a secret key is replaced; the depth limit still holds for what stays.
      if (value !== null && typeof value === 'object' && !walk(value, depth + 1, undefined, name)) {
        return false;
      }
      object[name] = redactor.redactSecretValue(value);
    } else if (typeof value === 'string') {
      if (redactor) {
        object[name] = redactor.redactString(value, name);
      }
    } else if (value !== null && typeof value === 'object' && !walk(value, depth + 1, redactor, name)) {
      return false;
    }
    if (redactor) {
      const renamed = redactor.redactKey(name);
      if (renamed !== name) {
        object[renamed] = object[name];
        // A rare delete: the object goes slow, but a token must not stay as a key.
        delete object[name];
      }
    }
  }
  return true;
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
  if (name !== '') {
    doc.source_hostname = name;
    doc.host = { name };
  }
}

function setLevel(doc: JsonObject, level: Level | undefined, raw: unknown): void {
  if (level) {
    doc.level = level.level;
    doc.level_name = level.level_name;
  } else if (raw !== undefined && raw !== null) {
    // Kept as text: a value outside 0–7 must not poison the integer `level` field.
    doc.level_original = String(raw);
  }
}

function setIfDefined(doc: JsonObject, key: string, value: unknown): void {
  if (value !== undefined) {
    doc[key] = value;
  }
}
