/**
 * Playwright global setup: the real backend stack; its URLs (and the token, for the no-leak check) reach the workers
 * via env. With HARNESS_REUSE=1 it attaches to a stack already started by `npx tsx tests/browser/serve.ts`.
 */
import { readFileSync } from 'node:fs';
import { STACK_FILE, StackInfo, startHarnessStack } from './stack';

function expose(info: StackInfo): void {
  process.env.HARNESS_URL = info.url;
  process.env.HARNESS_PROXY_URL = info.proxyUrl;
  process.env.HARNESS_SIM_URL = info.simulatorUrl;
  process.env.HARNESS_PROXY_TOKEN = info.proxyToken;
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (process.env.HARNESS_REUSE === '1') {
    expose(JSON.parse(readFileSync(STACK_FILE, 'utf8')));
    return async () => undefined;
  }
  const started = Date.now();
  const stack = await startHarnessStack();
  expose(stack);
  process.stdout.write(
    `harness stack up in ${((Date.now() - started) / 1000).toFixed(1)} s: shim ${stack.url}, proxy ${stack.proxyUrl}\n`
  );
  return stack.stop;
}
