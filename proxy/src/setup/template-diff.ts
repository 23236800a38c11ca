/**
 * Compares the installed index template with the one we would install. Elasticsearch hands settings back nested and
 * as strings (`{index: {number_of_shards: "1"}}`), so both sides are normalised before comparing. Pure.
 */
import type { estypes } from '../clients/elasticsearch';
import type { IndexTemplateBody } from './index-template';

/** Scalars as strings, settings as `index.`-prefixed dotted keys: the shape both sides can be compared in. */
function normalise(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(normalise);
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, normalise(v)])
    );
  }
  return String(value);
}

function flattenSettings(settings: unknown, path = ''): Record<string, string> {
  const out: Record<string, string> = {};
  if (!settings || typeof settings !== 'object') {
    return out;
  }
  for (const [key, value] of Object.entries(settings as Record<string, unknown>)) {
    const full = path ? `${path}.${key}` : key;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      Object.assign(out, flattenSettings(value, full));
    } else {
      out[full.startsWith('index.') ? full : `index.${full}`] = String(value);
    }
  }
  return out;
}

const same = (a: unknown, b: unknown) => JSON.stringify(normalise(a)) === JSON.stringify(normalise(b));

/** Which parts differ (empty: identical as far as Elasticsearch keeps them). */
export function templateDifferences(installed: estypes.IndicesIndexTemplate, desired: IndexTemplateBody): string[] {
  const differences: string[] = [];
  if (!same(installed.index_patterns, desired.index_patterns)) {
    differences.push('index_patterns');
  }
  if (String(installed.priority) !== String(desired.priority)) {
    differences.push('priority');
  }
  if (String(installed.version) !== String(desired.version)) {
    differences.push('version');
  }
  if (!same(installed._meta, desired._meta)) {
    differences.push('_meta');
  }
  if (!same(flattenSettings(installed.template?.settings), flattenSettings(desired.template.settings))) {
    differences.push('settings');
  }
  if (!same(installed.template?.mappings ?? {}, desired.template.mappings)) {
    differences.push('mappings');
  }
  if ((installed.composed_of ?? []).length > 0) {
    differences.push('composed_of');
  }
  return differences;
}
