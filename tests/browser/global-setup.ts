/** Playwright global setup: the real backend stack; its URL (and the token, for the no-leak check) reach the workers via env. */
import { startHarnessStack } from './stack';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const started = Date.now();
  const stack = await startHarnessStack();
  process.env.HARNESS_URL = stack.url;
  process.env.HARNESS_PROXY_URL = stack.proxyUrl;
  process.env.HARNESS_PROXY_TOKEN = stack.proxyToken;
  process.stdout.write(`harness stack up in ${((Date.now() - started) / 1000).toFixed(1)} s: shim ${stack.url}, proxy ${stack.proxyUrl}\n`);
  return stack.stop;
}
