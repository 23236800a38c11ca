/**
 * First step of `npm test` (and of `npm run stack`, for what the stack needs): makes sure this machine has what they
 * use beyond node_modules, so the README's two commands work on a fresh Debian machine as written.
 *
 * - This npm script runs on the project's Node (the `node` devDependency, first on every npm script's PATH).
 * - Debian packages: Chromium (browser suite), ruby-gelf (a GELF sender nobody here wrote), unzip + Java + Maven
 *   (the search-engine distributions), openssl (the HTTPS node's certificates), curl (the stack's printed query), and
 *   for the tests a Java 21+ (Elasticsearch 9, OpenSearch 3) where Debian packages one.
 *   Missing ones are installed with apt-get when we are root, saying so; otherwise it stops with the exact command.
 * - The distributions from Maven Central, unpacked into .cache/ (once): for the tests every engine of
 *   tests/elasticsearch/engines.ts, for the stack its Elasticsearch.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_DISTRIBUTION, distributionsInUse, productName, type Distribution } from '../tests/elasticsearch/engines';
import { ensureDistribution, isDistributionReady } from '../tests/elasticsearch/es-runner';
import { javaHomeFor, missingJavaMessage } from '../tests/elasticsearch/java';

const REPO_ROOT = resolve(__dirname, '..');
const APT_LOG = join(REPO_ROOT, '.cache', 'preflight-apt.log');

type Purpose = 'test' | 'stack';

/** Something this machine lacks; the message says what and how to install it. */
export class PreflightError extends Error {}

interface Requirement {
  /** Debian package that provides it. */
  pkg: string;
  usedBy: string;
  neededFor: Purpose[];
  present(purpose: Purpose): boolean;
  /** False when this system's apt cannot install it; then the message says what to do instead. */
  installable?(): boolean;
  notInstallable?: string;
}

function succeeds(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

const onPath = (command: string) => () => succeeds('sh', ['-c', `command -v ${command}`]);

function distributionsFor(purpose: Purpose): Distribution[] {
  return purpose === 'test' ? distributionsInUse() : [DEFAULT_DISTRIBUTION];
}

const distributionsReady = (purpose: Purpose) => distributionsFor(purpose).every((d) => isDistributionReady(d));
const NEWEST_JAVA_NEEDED = Math.max(...distributionsInUse().map((d) => d.minJava));

const REQUIREMENTS: Requirement[] = [
  {
    pkg: 'chromium',
    usedBy: 'the browser suite',
    neededFor: ['test'],
    present: () => existsSync(process.env.CHROMIUM_PATH || '/usr/bin/chromium'),
  },
  {
    pkg: 'ruby-gelf',
    usedBy: 'the ingest suite: a GELF client we did not write',
    neededFor: ['test'],
    present: () => succeeds('ruby', ['-e', "require 'gelf'"]),
  },
  { pkg: 'openssl', usedBy: "the HTTPS Elasticsearch node's certificates", neededFor: ['test'], present: onPath('openssl') },
  { pkg: 'curl', usedBy: 'the stack test: the query it prints', neededFor: ['test'], present: onPath('curl') },
  {
    pkg: 'openjdk-17-jre-headless',
    usedBy: 'Elasticsearch',
    neededFor: ['test', 'stack'],
    present: () => Boolean(process.env.ES_JAVA_HOME) || onPath('java')(),
  },
  {
    pkg: `openjdk-${NEWEST_JAVA_NEEDED}-jre-headless`,
    usedBy: 'Elasticsearch 9 and OpenSearch 3 in the engine suite',
    neededFor: ['test'],
    present: () => javaHomeFor(NEWEST_JAVA_NEEDED) !== undefined,
    installable: () => succeeds('apt-cache', ['show', `openjdk-${NEWEST_JAVA_NEEDED}-jre-headless`]),
    notInstallable: missingJavaMessage(NEWEST_JAVA_NEEDED, 'The engine suite (Elasticsearch 9, OpenSearch 3)'),
  },
  // Only to fetch and unpack the distributions, the first time.
  {
    pkg: 'maven',
    usedBy: 'fetching the search engines from Maven Central',
    neededFor: ['test', 'stack'],
    present: (purpose) => distributionsReady(purpose) || onPath('mvn')(),
  },
  {
    pkg: 'unzip',
    usedBy: 'unpacking the search engines',
    neededFor: ['test', 'stack'],
    present: (purpose) => distributionsReady(purpose) || onPath('unzip')(),
  },
];

function say(line: string): void {
  process.stdout.write(`preflight: ${line}\n`);
}

function checkNode(): void {
  const wanted = (require('../package.json') as { devDependencies: Record<string, string> }).devDependencies.node;
  if (process.version !== `v${wanted}`) {
    throw new PreflightError(
      `npm scripts run on Node ${process.version}, not the project's ${wanted}: run \`npm ci\` (it installs Node ${wanted} ` +
        'from the npm registry as node_modules/.bin/node, which npm puts first on every script\'s PATH).'
    );
  }
}

function installDebianPackages(missing: Requirement[], purpose: Purpose): void {
  const pkgs = missing.map((r) => r.pkg);
  const command = `apt-get update && apt-get install -y ${pkgs.join(' ')}`;
  const why = missing.map((r) => `${r.pkg} (${r.usedBy})`).join(', ');
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    throw new PreflightError(
      `missing ${why}.\n` +
        (existsSync('/usr/bin/apt-get') ? `Install them with:\n  sudo sh -c '${command}'` : 'Install the equivalent packages for this system.')
    );
  }
  say(`installing ${why} with apt-get (output in ${APT_LOG}) …`);
  mkdirSync(join(REPO_ROOT, '.cache'), { recursive: true });
  const log = openSync(APT_LOG, 'w');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', ...pkgs]]) {
    const run = spawnSync('apt-get', args, { stdio: ['ignore', log, log], env });
    if (run.status !== 0) {
      throw new PreflightError(`apt-get ${args.join(' ')} failed (exit ${run.status}); see ${APT_LOG}`);
    }
  }
  const stillMissing = missing.filter((r) => !r.present(purpose));
  if (stillMissing.length > 0) {
    throw new PreflightError(`still missing after apt-get: ${stillMissing.map((r) => r.pkg).join(', ')}`);
  }
}

/** Throws with what is missing and how to install it when it cannot install it itself. */
export function preflight(purpose: Purpose): void {
  checkNode();
  const missing = REQUIREMENTS.filter((r) => r.neededFor.includes(purpose) && !r.present(purpose));
  const impossible = missing.find((r) => r.installable && !r.installable());
  if (impossible) {
    throw new PreflightError(impossible.notInstallable ?? `${impossible.pkg} cannot be installed here`);
  }
  if (missing.length > 0) {
    installDebianPackages(missing, purpose);
  }
  for (const distribution of distributionsFor(purpose).filter((d) => !isDistributionReady(d))) {
    say(`fetching ${productName(distribution.product)} ${distribution.version} (integ-test-zip) from Maven Central, once …`);
    ensureDistribution(distribution);
  }
}

if (require.main === module) {
  try {
    preflight('test');
    say(`Node ${process.version}, Debian packages and ${distributionsFor('test').map((d) => `${productName(d.product)} ${d.version}`).join(', ')}: ready`);
  } catch (err) {
    process.stderr.write(`preflight: ${(err as Error).message}\n`);
    process.exit(1);
  }
}
