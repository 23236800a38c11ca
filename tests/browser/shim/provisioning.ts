/**
 * What Grafana makes of a provisioning directory, for the harness and for tests of our own files. Grafana reads the
 * files ending in `.yaml`/`.yml` of `<dir>/datasources` and `<dir>/plugins`, and expands environment references in
 * every string value with its own rules, which are NOT a shell's: `${NAME:-default}` is not a default, it reads the
 * variable literally named `NAME:-default`. The rules, and the Grafana source files they come from, are in
 * docs/grafana.md ("Provisioning values").
 */
import { readdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

export type Environment = Record<string, string | undefined>;

/** Grafana's own expanders: `${NAME}` / `$__env{NAME}` (environment) and `$__file{path}` (file content, trimmed). */
const EXPANDER_REFERENCE = /\$(|__\w+)\{([^}]+)\}/g;

/** Shell special parameters Go's os.Expand reads as a one-character name (`$1`, `$*`, `${?}` …). */
const SHELL_SPECIAL = new Set(['*', '#', '$', '@', '!', '?', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
const NAME_CHAR = /[A-Za-z0-9_]/;

function envValue(env: Environment, name: string): string {
  const value = env[name] ?? '';
  // Grafana's env expander falls back to the machine's hostname for an empty HOSTNAME.
  return name === 'HOSTNAME' && value === '' ? hostname() : value;
}

/** First pass: Grafana's registered expanders, env before file (their priority order). */
function applyExpanders(text: string, env: Environment): string {
  let out = text;
  for (const expander of ['env', 'file'] as const) {
    for (const [whole, prefix, argument] of [...out.matchAll(EXPANDER_REFERENCE)]) {
      const isEnv = prefix === '__env' || (prefix === '' && expander === 'env');
      if (expander === 'env' && isEnv) {
        out = out.replace(whole, () => envValue(env, argument));
      } else if (expander === 'file' && prefix === '__file') {
        // A missing file fails the whole provisioning file in Grafana: let the error through.
        out = out.replace(whole, () => readFileSync(argument, 'utf8').trim());
      }
    }
  }
  return out;
}

/** Second pass: Go's os.ExpandEnv, byte for byte (`$NAME`, `${NAME}`, specials; bad syntax is eaten). */
function goExpandEnv(text: string, env: Environment): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] !== '$' || i + 1 >= text.length) {
      out += text[i++];
      continue;
    }
    const rest = text.slice(i + 1);
    let name = '';
    let width = 0;
    if (rest[0] === '{') {
      if (rest.length > 2 && SHELL_SPECIAL.has(rest[1]) && rest[2] === '}') {
        [name, width] = [rest[1], 3];
      } else {
        const close = rest.indexOf('}');
        // `${}` and an unclosed `${` are bad syntax: Go drops them.
        [name, width] = close < 0 ? ['', 1] : close === 1 ? ['', 2] : [rest.slice(1, close), close + 1];
      }
    } else if (SHELL_SPECIAL.has(rest[0])) {
      [name, width] = [rest[0], 1];
    } else {
      while (width < rest.length && NAME_CHAR.test(rest[width])) {
        width++;
      }
      name = rest.slice(0, width);
    }
    if (name !== '') {
      out += env[name] ?? '';
    } else if (width === 0) {
      // `$` followed by no name stays a literal `$`.
      out += '$';
    }
    i += 1 + width;
  }
  return out;
}

/** One provisioning string value as Grafana stores it. `$$` is a literal `$`. */
export function expandGrafanaValue(value: string, env: Environment): string {
  return value
    .split('$$')
    .map((part) => goExpandEnv(applyExpanders(part, env), env))
    .join('$');
}

/** Grafana expands strings at any depth of `jsonData` (other scalars are kept as parsed). */
function expandDeep(value: unknown, env: Environment): unknown {
  if (typeof value === 'string') {
    return expandGrafanaValue(value, env);
  }
  if (Array.isArray(value)) {
    return value.map((item) => expandDeep(item, env));
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, expandDeep(item, env)]));
  }
  return value;
}

function expandStrings(value: unknown, env: Environment): Record<string, string> {
  const entries = Object.entries((value ?? {}) as Record<string, unknown>);
  return Object.fromEntries(entries.map(([key, item]) => [key, expandGrafanaValue(String(item), env)]));
}

export interface ProvisionedDatasource {
  file: string;
  name: string;
  type: string;
  uid: string;
  url: string;
  access: string;
  orgId: number;
  isDefault: boolean;
  editable: boolean;
  basicAuth: boolean;
  basicAuthUser: string;
  jsonData: Record<string, unknown>;
  secureJsonData: Record<string, string>;
}

export interface ProvisionedApp {
  file: string;
  type: string;
  orgId: number;
  enabled: boolean;
  jsonData: Record<string, unknown>;
  secureJsonData: Record<string, string>;
}

export interface Provisioning {
  datasources: ProvisionedDatasource[];
  apps: ProvisionedApp[];
}

/** The files Grafana reads in one provisioning folder: `.yaml`/`.yml` only, in name order. */
function yamlFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    // Grafana logs a missing folder and provisions nothing from it.
    return [];
  }
  return names
    .filter((name) => name.endsWith('.yaml') || name.endsWith('.yml'))
    .sort()
    .map((name) => join(dir, name));
}

function readYaml(file: string): Record<string, unknown> {
  // YAML 1.1, as the Go YAML library Grafana uses reads it.
  return (parse(readFileSync(file, 'utf8'), { version: '1.1' }) ?? {}) as Record<string, unknown>;
}

const text = (value: unknown, env: Environment) => (value === undefined ? '' : expandGrafanaValue(String(value), env));
const orgOf = (value: unknown, env: Environment) => Number(text(value, env)) || 1;

/** Go's strconv.ParseBool: anything else (an empty expansion too) fails the provisioning file. */
function flag(value: unknown, env: Environment, file: string): boolean {
  if (value === undefined || typeof value === 'boolean') {
    return value === true;
  }
  const expanded = text(value, env);
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(expanded)) {
    return true;
  }
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(expanded)) {
    return false;
  }
  throw new Error(`${file}: "${String(value)}" expands to "${expanded}", which is not a boolean`);
}

/** The datasources and apps a Grafana would provision from `dir` with `env` as its environment. */
export function loadProvisioning(dir: string, env: Environment): Provisioning {
  const datasources: ProvisionedDatasource[] = [];
  for (const file of yamlFiles(join(dir, 'datasources'))) {
    const config = readYaml(file);
    if (!(Number(config.apiVersion) > 0)) {
      throw new Error(`${file}: only apiVersion 1 files are modelled`);
    }
    for (const ds of (config.datasources ?? []) as Array<Record<string, unknown>>) {
      datasources.push({
        file,
        name: text(ds.name, env),
        type: text(ds.type, env),
        uid: text(ds.uid, env),
        url: text(ds.url, env),
        access: text(ds.access, env) || 'proxy',
        orgId: orgOf(ds.orgId, env),
        isDefault: flag(ds.isDefault, env, file),
        editable: flag(ds.editable, env, file),
        basicAuth: flag(ds.basicAuth, env, file),
        basicAuthUser: text(ds.basicAuthUser, env),
        jsonData: expandDeep(ds.jsonData ?? {}, env) as Record<string, unknown>,
        secureJsonData: expandStrings(ds.secureJsonData, env),
      });
    }
  }
  const apps: ProvisionedApp[] = [];
  for (const file of yamlFiles(join(dir, 'plugins'))) {
    for (const app of (readYaml(file).apps ?? []) as Array<Record<string, unknown>>) {
      const type = text(app.type, env);
      if (!type) {
        throw new Error(`${file}: an app item has no type`);
      }
      apps.push({
        file,
        type,
        orgId: orgOf(app.org_id, env),
        enabled: !flag(app.disabled, env, file),
        jsonData: expandDeep(app.jsonData ?? {}, env) as Record<string, unknown>,
        secureJsonData: expandStrings(app.secureJsonData, env),
      });
    }
  }
  return { datasources, apps };
}
