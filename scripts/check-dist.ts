/**
 * Checks the built plugin the way Grafana's plugin validator would (it cannot run here: it downloads a binary):
 * ids and types, the nested datasource declared in the app's includes with the same path and type, logos present,
 * build placeholders replaced, dashboards listed in includes present.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function checkDist(dist: string): string[] {
  const problems: string[] = [];
  const read = (path: string) => JSON.parse(readFileSync(join(dist, path), 'utf8'));
  if (!existsSync(join(dist, 'plugin.json'))) {
    return [`${dist}/plugin.json is missing: run npm run build`];
  }
  const app = read('plugin.json');
  const idPattern = /^[0-9a-z]+-([0-9a-z]+-)?(app|panel|datasource)$/;
  const checkPlugin = (json: Record<string, any>, dir: string, type: string) => {
    if (json.type !== type) {
      problems.push(`${dir}plugin.json: type is ${json.type}, expected ${type}`);
    }
    if (!idPattern.test(json.id) || !json.id.endsWith(`-${type}`)) {
      problems.push(`${dir}plugin.json: id ${json.id} does not match Grafana's pattern for a ${type}`);
    }
    const text = JSON.stringify(json);
    for (const placeholder of ['%VERSION%', '%TODAY%', '%PLUGIN_ID%']) {
      if (text.includes(placeholder)) {
        problems.push(`${dir}plugin.json: ${placeholder} was not replaced`);
      }
    }
    for (const logo of new Set([json.info?.logos?.small, json.info?.logos?.large])) {
      if (!logo || !existsSync(join(dist, dir, logo))) {
        problems.push(`${dir}plugin.json: logo ${logo} missing from dist`);
      }
    }
    if (!existsSync(join(dist, dir, 'module.js'))) {
      problems.push(`${dir}module.js missing`);
    }
  };
  checkPlugin(app, '', 'app');
  const includes: Array<Record<string, string>> = app.includes ?? [];
  const nested = includes.filter((inc) => inc.type === 'datasource');
  if (nested.length !== 1 || nested[0].path !== 'datasource/plugin.json') {
    problems.push('plugin.json: includes must declare the nested datasource with path datasource/plugin.json');
  } else if (!existsSync(join(dist, nested[0].path))) {
    problems.push(`${nested[0].path} is declared but missing from dist`);
  } else {
    const ds = read(nested[0].path);
    checkPlugin(ds, 'datasource/', 'datasource');
    if (ds.id !== 'dreamfactory-insights-datasource') {
      problems.push(`datasource id is ${ds.id}`);
    }
  }
  for (const dashboard of includes.filter((inc) => inc.type === 'dashboard')) {
    if (!existsSync(join(dist, dashboard.path))) {
      problems.push(`dashboard ${dashboard.path} is declared but missing from dist`);
    }
  }
  if (app.id !== 'dreamfactory-insights-app') {
    problems.push(`app id is ${app.id}`);
  }
  return problems;
}

if (require.main === module) {
  const dist = process.argv[2] ?? 'dist';
  const problems = checkDist(dist);
  if (problems.length) {
    process.stderr.write(`dist check failed:\n  ${problems.join('\n  ')}\n`);
    process.exit(1);
  }
  const app = JSON.parse(readFileSync(join(dist, 'plugin.json'), 'utf8'));
  process.stdout.write(`dist check ok: ${app.id} ${app.info.version} with nested dreamfactory-insights-datasource\n`);
}
