/**
 * The proxy's parts depend on each other in one direction only. A part is a folder of proxy/src (`query/`,
 * `dreamfactory/`, …) or a file at its top (`config.ts`, `server.ts`, …); tests count, since a test that reaches
 * into a part that depends on its own ties the two together just the same.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = __dirname;
const IMPORT = /(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*)'(\.{1,2}\/[^']*)'/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return sourceFiles(path);
    }
    return /\.m?ts$/.test(entry.name) ? [path] : [];
  });
}

function partOf(path: string): string {
  const [head, ...rest] = relative(ROOT, path).split('/');
  return rest.length > 0 ? `${head}/` : head.replace(/\.m?ts$/, '.ts');
}

/** The file an import names: as written (`.json`, `.mts`), `<name>.ts`, or the folder's `index.ts`. */
function modulePath(target: string): string {
  if (existsSync(target) && statSync(target).isDirectory()) {
    return join(target, 'index.ts');
  }
  return existsSync(target) ? target : `${target}.ts`;
}

/** part → the other parts it imports from. */
function importGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(ROOT)) {
    const from = partOf(file);
    const targets = graph.get(from) ?? new Set<string>();
    graph.set(from, targets);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const target = resolve(dirname(file), specifier);
      if (target.startsWith(`${ROOT}/`)) {
        const to = partOf(modulePath(target));
        if (to !== from) {
          targets.add(to);
        }
      }
    }
  }
  return graph;
}

/** Groups of parts that reach each other through imports (Tarjan's strongly connected components), largest first. */
function cycles(graph: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (part: string) => {
    index.set(part, index.size);
    low.set(part, index.get(part)!);
    stack.push(part);
    for (const next of graph.get(part) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(part, Math.min(low.get(part)!, low.get(next)!));
      } else if (stack.includes(next)) {
        low.set(part, Math.min(low.get(part)!, index.get(next)!));
      }
    }
    if (low.get(part) === index.get(part)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        group.push(member);
      } while (member !== part);
      if (group.length > 1) {
        found.push(group.sort());
      }
    }
  };
  for (const part of graph.keys()) {
    if (!index.has(part)) {
      visit(part);
    }
  }
  return found.sort((a, b) => b.length - a.length);
}

describe('proxy import graph', () => {
  const graph = importGraph();

  it('sees the parts it is meant to check', () => {
    expect([...graph.keys()]).toEqual(expect.arrayContaining(['query/', 'dreamfactory/', 'api/', 'main.ts']));
    expect(graph.get('query/')).toContain('dreamfactory/');
  });

  it('has no two parts that import each other, directly or round a loop', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('keeps DreamFactory’s model free of the query engine and the HTTP layer', () => {
    expect([...(graph.get('dreamfactory/') ?? [])].filter((part) => ['query/', 'api/', 'server.ts'].includes(part))).toEqual([]);
  });
});
