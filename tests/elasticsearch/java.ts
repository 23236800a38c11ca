/**
 * Which Java runs an engine. Elasticsearch 8 and OpenSearch 2 run on the machine's Java 17 (Debian 12's); Elasticsearch 9
 * and OpenSearch 3 need 21 or later, which Debian 12 does not package, so one is looked for: `ENGINES_JAVA_HOME`, else
 * the newest JDK or JRE under /usr/lib/jvm (Debian's openjdk-21/25 packages and Adoptium's temurin ones install there).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const JVM_DIR = '/usr/lib/jvm';

/**
 * The major version of a Java home: from its `release` file (`JAVA_VERSION="25.0.3"`), else from `java -version`
 * (`openjdk version "17.0.15"`); `1.8.0_…` is 8.
 */
export function javaMajor(home: string): number | undefined {
  const java = join(home, 'bin', 'java');
  if (!existsSync(java)) {
    return undefined;
  }
  const release = join(home, 'release');
  let version = existsSync(release) ? /^JAVA_VERSION="([^"]+)"/m.exec(readFileSync(release, 'utf8'))?.[1] : undefined;
  if (!version) {
    // `java -version` writes to stderr.
    version = /version "([^"]+)"/.exec(spawnSync(java, ['-version'], { encoding: 'utf8' }).stderr ?? '')?.[1];
  }
  const [first, second] = (version ?? '').split('.').map(Number);
  return first === 1 ? second : first || undefined;
}

/** `ES_JAVA_HOME`, else the home of `java` on the PATH. */
function defaultJavaHome(): string | undefined {
  if (process.env.ES_JAVA_HOME) {
    return process.env.ES_JAVA_HOME;
  }
  try {
    const java = execFileSync('sh', ['-c', 'readlink -f "$(command -v java)"']).toString().trim();
    return java ? resolve(java, '../..') : undefined;
  } catch {
    return undefined;
  }
}

/** A Java home of at least `minMajor`, or undefined when this machine has none. */
export function javaHomeFor(minMajor: number): string | undefined {
  const candidates = [defaultJavaHome(), process.env.ENGINES_JAVA_HOME];
  if (existsSync(JVM_DIR)) {
    const installed = readdirSync(JVM_DIR).map((name) => join(JVM_DIR, name));
    candidates.push(...installed.sort((a, b) => (javaMajor(b) ?? 0) - (javaMajor(a) ?? 0)));
  }
  return candidates.find((home): home is string => home !== undefined && (javaMajor(home) ?? 0) >= minMajor);
}

export function missingJavaMessage(minMajor: number, what: string): string {
  return (
    `${what} needs Java ${minMajor} or later and this machine has none: install one (Debian 13: ` +
    `apt-get install openjdk-21-jre-headless; Debian 12 packages only 17, use e.g. Adoptium's temurin-21-jdk) ` +
    `or point ENGINES_JAVA_HOME at one.`
  );
}
