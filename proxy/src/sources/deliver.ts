/**
 * What the TCP and HTTP sources do with a decoded (or undecodable) input: count it, hand the object on, or count the
 * drop. (UDP sources do the same per batch in udp-receiver.ts.)
 */
import type { IngestCounters } from '../ingest-counters';
import type { Logger } from '../logger';
import type { DecodeResult } from '../gelf/payload';
import type { DropReason, MessageHandler, ReceivedMessage, SourceName } from '../pipeline-types';

export interface SourceDeps {
  counters: IngestCounters;
  logger: Logger;
  /** Takes one message; resolves once it is queued (durably, when asked). */
  handler: MessageHandler;
  /** Takes a batch of messages (UDP); never throws, counts its own failures. */
  deliverBatch(messages: ReceivedMessage[]): void;
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
  /** For listeners that cannot answer the sender (TCP): a failed hand-off is logged, never thrown. */
  forward(result: DecodeResult, sender: Sender): void;
}

/** IPv4 peers on a dual-stack socket show up as `::ffff:1.2.3.4`; store the plain address. */
export function plainAddress(address: string | undefined): string | undefined {
  return address?.startsWith('::ffff:') ? address.slice(7) : address;
}

/** `durable`: the sender is told the message was accepted (HTTP), so it must be fsynced before the handler resolves. */
export function createDelivery(source: SourceName, deps: SourceDeps, { durable }: { durable: boolean }): Delivery {
  const format: ReceivedMessage['format'] = source.startsWith('gelf') ? 'gelf' : 'json';
  const drop = (reason: DropReason) => deps.counters.dropped(source, reason);
  const delivery: Delivery = {
    received(bytes) {
      deps.counters.received(source, 1, bytes);
    },
    drop,
    async deliver(result, sender) {
      if ('drop' in result) {
        drop(result.drop);
        return;
      }
      const receivedAt = new Date();
      deps.counters.decoded(source, 1, receivedAt.getTime());
      return deps.handler(
        {
          source,
          format,
          body: result.body,
          payload: result.json,
          receivedAt,
          remoteAddress: plainAddress(sender.address),
          remotePort: sender.port,
        },
        { durable }
      );
    },
    forward(result, sender) {
      delivery.deliver(result, sender).catch((err: Error) => deps.logger.warn({ source, err: err.message }, 'ingest handler failed'));
    },
  };
  return delivery;
}
