/**
 * The environment Docker Compose gives one service of docker-compose.yaml: its `environment` (map or list form, YAML
 * merge keys resolved) with Compose's interpolation applied from the shell's variables. Compose's rules are a shell's
 * (`${NAME:-default}` is a default there), unlike Grafana's provisioning; that difference is why both are modelled.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { Environment } from './provisioning';

const REFERENCE = /\$(\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])((?:[^{}]|\{[^{}]*\})*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/** Compose's interpolation of one value: `$$`, `$NAME`, `${NAME}`, `${NAME:-d}`, `${NAME-d}`, `${NAME:?e}`, `${NAME:+r}`. */
export function interpolateCompose(value: string, shell: Environment): string {
  return value.replace(
    REFERENCE,
    (_all, body: string, braced?: string, operator?: string, argument = '', bare?: string) => {
      if (body === '$') {
        return '$';
      }
      const name = (braced ?? bare)!;
      const current = shell[name];
      const set = current !== undefined;
      const nonEmpty = set && current !== '';
      switch (operator) {
        case ':-':
          return nonEmpty ? current! : interpolateCompose(argument, shell);
        case '-':
          return set ? current! : interpolateCompose(argument, shell);
        case ':?':
        case '?':
          if (operator === ':?' ? !nonEmpty : !set) {
            throw new Error(`required variable ${name} is missing a value: ${argument}`);
          }
          return current!;
        case ':+':
          return nonEmpty ? interpolateCompose(argument, shell) : '';
        case '+':
          return set ? interpolateCompose(argument, shell) : '';
        default:
          return current ?? '';
      }
    }
  );
}

/** The environment `docker compose up` gives `service`, with `shell` as the variables of the invoking shell. */
export function composeServiceEnvironment(composeFile: string, service: string, shell: Environment): Environment {
  const compose = parse(readFileSync(composeFile, 'utf8'), { merge: true }) as {
    services: Record<string, { environment?: Record<string, unknown> | string[] }>;
  };
  const definition = compose.services[service];
  if (!definition) {
    throw new Error(`${composeFile} has no service "${service}"`);
  }
  const raw = definition.environment ?? {};
  // A variable named without a value takes the shell's value as is; written values are interpolated.
  const entries: Array<[string, string | null]> = Array.isArray(raw)
    ? raw.map((item) => {
        const at = item.indexOf('=');
        return at < 0 ? [item, null] : [item.slice(0, at), item.slice(at + 1)];
      })
    : Object.entries(raw).map(([key, value]) => [key, value === null ? null : String(value)]);
  return Object.fromEntries(
    entries.map(([key, value]) => [key, value === null ? shell[key] : interpolateCompose(value, shell)])
  );
}
