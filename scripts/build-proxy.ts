/**
 * Bundles the proxy, the DreamFactory simulator and its traffic sender into single files under dist-proxy/
 * (what the Docker images run). Outside Docker: `npm run build:proxy && node dist-proxy/proxy.js serve`.
 */
import { build } from 'esbuild';

const entries: Record<string, string> = {
  proxy: 'proxy/src/main.ts',
  // The UDP receiving thread's entry, loaded by the proxy bundle from next to itself.
  'udp-receiver-worker': 'proxy/src/sources/udp-receiver-worker.mts',
  simulator: 'tests/dreamfactory-sim/main.ts',
  traffic: 'tests/dreamfactory-sim/send.ts',
};

async function main(): Promise<void> {
  await build({
    entryPoints: entries,
    outdir: 'dist-proxy',
    bundle: true,
    platform: 'node',
    target: 'node24',
    sourcemap: true,
    minify: true,
    logLevel: 'warning',
    // The node tsconfig declares the `@shared/*` alias (and is the one the Docker build copies).
    tsconfig: 'tsconfig.node.json',
  });
  process.stdout.write(`bundled ${Object.keys(entries).join(', ')} into dist-proxy/\n`);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
});
