/**
 * `npx tsx tests/browser/serve.ts`: the harness stack for a person (open the printed URL; `?role=Viewer|Editor|Admin`)
 * or for fast spec iterations (`HARNESS_REUSE=1 npm run test:browser`). Ctrl-C stops everything.
 */
import { writeFileSync } from 'node:fs';
import { STACK_FILE, StackInfo, startHarnessStack } from './stack';

async function main(): Promise<void> {
  const starting = startHarnessStack();
  // Stop cleanly even when interrupted while starting: Elasticsearch runs detached and would outlive us.
  const stop = () => void starting.then((stack) => stack.stop()).finally(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const stack = await starting;
  const info: StackInfo = {
    url: stack.url,
    proxyUrl: stack.proxyUrl,
    simulatorUrl: stack.simulatorUrl,
    proxyToken: stack.proxyToken,
  };
  // The token goes to a private file for reusing specs, never to the console.
  writeFileSync(STACK_FILE, JSON.stringify(info), { mode: 0o600 });
  process.stdout.write(`harness on ${stack.url}/a/dreamfactory-insights-app (add ?role=Viewer to look as a Viewer)\n`);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
