/**
 * What every source does with a decoded (or undecodable) input: count it, hand the object on, or report the drop.
 */
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import type { DecodeResult } from '../gelf/payload';
import type { DropHandler, DropReason, MessageHandler, ReceivedMessage, SourceName } from '../pipeline-types';

export interface SourceDeps {
  metrics: Metrics;
  logger: Logger;
  handler: MessageHandler;
  drop: DropHandler;
}

export interface Sender {
  address?: string;
  port?: number;
}

export interface Delivery {
  received(bytes: number): void;
  drop(reason: DropReason): void;
  /** Hands a decode result on. Resolves when the handler has queued it; rejects only if the handler does. */
  deliver(result: DecodeResult, sender: Sender): Promise<void>;
  /** For listeners that cannot answer the sender (UDP, TCP): a failed hand-off is logged, never thrown. */
  forward(result: DecodeResult, sender: Sender): void;
}

/** IPv4 peers on a dual-stack socket show up as `::ffff:1.2.3.4`; store the plain address. */
export function plainAddress(address: string | undefined): string | undefined {
  return address?.startsWith('::ffff:') ? address.slice(7) : address;
}

export function createDelivery(source: SourceName, deps: SourceDeps): Delivery {
  const labels = { source };
  const format: ReceivedMessage['format'] = source.startsWith('gelf') ? 'gelf' : 'json';
  const drop = (reason: DropReason) => deps.drop(source, reason);
  const delivery: Delivery = {
    received(bytes) {
      deps.metrics.received.inc(labels);
      deps.metrics.receivedBytes.inc(labels, bytes);
    },
    drop,
    async deliver(result, sender) {
      if ('drop' in result) {
        drop(result.drop);
        return;
      }
      const receivedAt = new Date();
      deps.metrics.decoded.inc(labels);
      deps.metrics.lastEventTime.set(labels, receivedAt.getTime() / 1000);
      return deps.handler({
        source,
        format,
        body: result.body,
        receivedAt,
        remoteAddress: plainAddress(sender.address),
        remotePort: sender.port,
      });
    },
    forward(result, sender) {
      delivery.deliver(result, sender).catch((err: Error) => deps.logger.warn({ source, err: err.message }, 'ingest handler failed'));
    },
  };
  return delivery;
}
