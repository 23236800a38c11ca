/**
 * Bundles the harness host (tests/browser/host) with esbuild into tests/browser/out/harness: React, @grafana/* and
 * the other externals from node_modules, i.e. the versions Grafana 12.4 ships.
 */
import { build } from 'esbuild';
import { join } from 'node:path';

export const HOST_OUT_DIR = join(__dirname, 'out', 'harness');

export async function buildHost(): Promise<string> {
  await build({
    entryPoints: { host: join(__dirname, 'host', 'index.tsx') },
    outdir: HOST_OUT_DIR,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"', global: 'window' },
    loader: { '.svg': 'dataurl', '.png': 'dataurl', '.woff': 'file', '.woff2': 'file', '.ttf': 'file' },
    logLevel: 'warning',
  });
  return HOST_OUT_DIR;
}

if (require.main === module) {
  buildHost().then(
    (dir) => process.stdout.write(`harness host built into ${dir}\n`),
    (err: Error) => {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
  );
}
