/**
 * Fields the datasource aggregates on, derived from DreamFactory's `_event` context: upper-case method, path without
 * the query string, service and resource (from the URI when the context did not include them), integer status code
 * and its class. Also makes sure the object and `flattened` fields of the index template only ever receive objects.
 */
import { getPath, isObject, JsonObject } from './objects';

/** Mapped as objects or `flattened` in the index template: Elasticsearch rejects a document with a scalar there. */
const OBJECT_PATHS = [
  ['event'],
  ['event', 'request'],
  ['event', 'response'],
  ['event', 'request', 'headers'],
  ['event', 'request', 'parameters'],
  ['event', 'response', 'headers'],
  ['platform'],
];

const API_PATH = /^\/api\/v\d+\/([^/?#]+)(?:\/([^?#]*))?/;

export function addRequestFields(event: unknown): void {
  const request = getPath(event, ['request']);
  if (isObject(request)) {
    if (typeof request.method === 'string') {
      request.method = request.method.toUpperCase();
    }
    if (typeof request.uri === 'string') {
      const path = request.uri.split(/[?#]/, 1)[0];
      request.path = path;
      const match = API_PATH.exec(path);
      if (match) {
        request.service ??= match[1];
        if (match[2]) {
          request.resource ??= match[2].replace(/\/+$/, '');
        }
      }
    }
  }
  const response = getPath(event, ['response']);
  if (isObject(response)) {
    const code = typeof response.status_code === 'string' ? Number(response.status_code) : response.status_code;
    if (typeof code === 'number' && Number.isInteger(code) && code >= 100 && code <= 599) {
      response.status_code = code;
      response.status_class = `${Math.floor(code / 100)}xx`;
    } else if (response.status_code !== undefined) {
      // Keep what was sent, where a string cannot break the integer mapping.
      response.status_code_original = String(response.status_code);
      // Undefined rather than deleted (JSON.stringify skips it): deleting slows the object down (see transform.ts).
      response.status_code = undefined;
    }
  }
}

/** PHP's empty array `[]` is dropped (left undefined); any other non-object is wrapped as `{ value: … }` so it stays searchable. */
export function normalizeObjectFields(doc: JsonObject): void {
  for (const path of OBJECT_PATHS) {
    const parent = getPath(doc, path.slice(0, -1));
    const key = path[path.length - 1];
    if (!isObject(parent) || parent[key] === undefined || isObject(parent[key])) {
      continue;
    }
    const value = parent[key];
    if ((Array.isArray(value) && value.length === 0) || value === null) {
      parent[key] = undefined;
    } else {
      parent[key] = { value };
    }
  }
}
