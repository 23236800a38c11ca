/** Test support for source tests: metrics, a collecting handler and a drop counter wired like the pipeline's. */
import { createLogger } from '../logger';
import { createMetrics } from '../metrics';
import type { DropReason, MessageHandler, ReceivedMessage, SourceName } from '../pipeline-types';
import type { SourceDeps } from './deliver';

export interface SourceHarness {
  deps: SourceDeps;
  messages: ReceivedMessage[];
  /** Current value of a counter for the given labels (0 when never incremented). */
  count(metric: 'received' | 'decoded' | 'dropped', labels: { source: SourceName; reason?: DropReason }): Promise<number>;
  waitForMessages(n: number): Promise<ReceivedMessage[]>;
}

export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function createSourceHarness(handler?: MessageHandler): SourceHarness {
  const metrics = createMetrics();
  const messages: ReceivedMessage[] = [];
  const deps: SourceDeps = {
    metrics,
    logger: createLogger('silent'),
    handler:
      handler ??
      (async (message) => {
        messages.push(message);
      }),
    drop: (source, reason) => metrics.dropped.inc({ source, reason }),
  };
  const count: SourceHarness['count'] = async (metric, labels) => {
    const { values } = await metrics[metric].get();
    const match = values.find((v) => Object.entries(labels).every(([k, want]) => (v.labels as Record<string, unknown>)[k] === want));
    return match?.value ?? 0;
  };
  return {
    deps,
    messages,
    count,
    async waitForMessages(n) {
      await waitFor(() => messages.length >= n, `${n} messages (have ${messages.length})`);
      return messages;
    },
  };
}
