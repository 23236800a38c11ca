import { decodePayload } from '../gelf/payload';
import type { Source } from '../pipeline-types';
import { createDelivery, SourceDeps } from './deliver';
import { startUdpListener } from './udp-listener';

export interface JsonUdpOptions {
  host: string;
  port: number;
  recvBufferBytes: number;
  maxMessageBytes: number;
}

/** DreamFactory's `udp` protocol: one uncompressed JSON object per datagram. */
export async function startJsonUdpSource(options: JsonUdpOptions, deps: SourceDeps): Promise<Source> {
  const delivery = createDelivery('json_udp', deps);
  return startUdpListener({ name: 'json_udp', ...options }, deps.logger, (datagram, remote) => {
    delivery.received(datagram.length);
    delivery.forward(decodePayload(datagram, options.maxMessageBytes), remote);
  });
}
