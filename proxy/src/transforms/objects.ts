/** Small helpers for walking decoded JSON. */
export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Case-insensitive own-key lookup (header names are lower-case from DreamFactory, but not from every sender). */
export function getIgnoreCase(object: JsonObject, name: string): unknown {
  if (name in object) {
    return object[name];
  }
  const lower = name.toLowerCase();
  const key = Object.keys(object).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : object[key];
}

export function getPath(object: unknown, path: string[]): unknown {
  let node = object;
  for (const key of path) {
    if (!isObject(node)) {
      return undefined;
    }
    node = node[key];
  }
  return node;
}
