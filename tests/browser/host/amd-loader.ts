/**
 * A small AMD loader, as Grafana's SystemJS is for plugins: externals come from a name → module registry; each
 * plugin module gets its own `module` meta (`uri`), from which the bundle derives its public path for lazy chunks.
 */
type Factory = (...deps: unknown[]) => unknown;
interface Definition {
  deps: string[];
  factory: Factory;
}

const registry = new Map<string, unknown>();
const definitions = new WeakMap<HTMLOrSVGScriptElement, Definition>();

export function registerExternal(name: string, moduleValue: unknown): void {
  registry.set(name, moduleValue);
}

function define(depsOrFactory: string[] | Factory, maybeFactory?: Factory): void {
  const script = document.currentScript;
  if (!script) {
    throw new Error('define() called outside a plugin <script>');
  }
  const [deps, factory] = Array.isArray(depsOrFactory) ? [depsOrFactory, maybeFactory!] : [[], depsOrFactory];
  definitions.set(script, { deps, factory });
}
define.amd = {};

export function installDefine(): void {
  (window as unknown as { define: typeof define }).define = define;
}

/** Loads an AMD plugin module by URL and returns its exports. An unknown external fails loudly, naming it. */
export function importPluginModule<T>(uri: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = uri;
    script.onerror = () => reject(new Error(`Could not load plugin module ${uri}`));
    script.onload = () => {
      const definition = definitions.get(script);
      if (!definition) {
        reject(new Error(`${uri} is not an AMD module`));
        return;
      }
      try {
        const exports: Record<string, unknown> = {};
        const deps = definition.deps.map((name) => {
          if (name === 'module') {
            return { id: uri, uri, exports };
          }
          if (name === 'exports') {
            return exports;
          }
          if (!registry.has(name)) {
            throw new Error(`${uri} needs "${name}", which Grafana does not provide to plugins`);
          }
          return registry.get(name);
        });
        const result = definition.factory(...deps);
        resolve((result ?? exports) as T);
      } catch (err) {
        reject(err);
      }
    };
    document.head.appendChild(script);
  });
}
