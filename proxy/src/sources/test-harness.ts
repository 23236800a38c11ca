/** Test support for source tests: counters, metrics and a collecting handler wired like the pipeline's. */
import { createLogger } from '../logger';
import { createMetrics, Metrics } from '../metrics';
import type { DropReason, MessageHandler, ReceivedMessage, SourceName } from '../pipeline-types';
import type { SourceDeps } from './deliver';
import { counterValue } from '../testing/metric-value';
import { waitFor } from '../testing/wait';

export { waitFor };

export interface SourceHarness {
  deps: SourceDeps;
  metrics: Metrics;
  messages: ReceivedMessage[];
  /** Current value of a counter for the given labels (0 when never incremented), read through /metrics' view. */
  count(metric: 'received' | 'decoded' | 'dropped' | 'kernelDrops', labels: { source: SourceName; reason?: DropReason }): Promise<number>;
  waitForMessages(n: number): Promise<ReceivedMessage[]>;
}

export function createSourceHarness(handler?: MessageHandler): SourceHarness {
  const metrics = createMetrics();
  const messages: ReceivedMessage[] = [];
  const deps: SourceDeps = {
    counters: metrics.ingest,
    logger: createLogger('silent'),
    handler:
      handler ??
      (async (message) => {
        messages.push(message);
      }),
    deliverBatch: (batch) => messages.push(...batch),
  };
  const count: SourceHarness['count'] = (metric, labels) => counterValue(metrics[metric], labels);
  return {
    deps,
    metrics,
    messages,
    count,
    async waitForMessages(n) {
      await waitFor(() => messages.length >= n, `${n} messages (have ${messages.length})`);
      return messages;
    },
  };
}
