/** Test support for source tests: metrics, a collecting handler and a drop counter wired like the pipeline's. */
import { createLogger } from '../logger';
import { createMetrics } from '../metrics';
import type { DropReason, MessageHandler, ReceivedMessage, SourceName } from '../pipeline-types';
import type { SourceDeps } from './deliver';
import { counterValue } from '../testing/metric-value';
import { waitFor } from '../testing/wait';

export { waitFor };

export interface SourceHarness {
  deps: SourceDeps;
  messages: ReceivedMessage[];
  /** Current value of a counter for the given labels (0 when never incremented). */
  count(metric: 'received' | 'decoded' | 'dropped', labels: { source: SourceName; reason?: DropReason }): Promise<number>;
  waitForMessages(n: number): Promise<ReceivedMessage[]>;
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
  const count: SourceHarness['count'] = (metric, labels) => counterValue(metrics[metric], labels);
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
