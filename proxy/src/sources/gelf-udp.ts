import { GelfDatagramDecoder } from '../gelf/datagram-decoder';
import type { Source } from '../pipeline-types';
import { createDelivery, SourceDeps } from './deliver';
import { startUdpListener } from './udp-listener';

export interface GelfUdpOptions {
  host: string;
  port: number;
  recvBufferBytes: number;
  maxMessageBytes: number;
  chunkTimeoutMs: number;
  maxPendingChunkBytes: number;
}

/** GELF over UDP: plain, zlib or gzip datagrams, chunked in either the standard or DreamFactory's layout. */
export async function startGelfUdpSource(options: GelfUdpOptions, deps: SourceDeps): Promise<Source> {
  const delivery = createDelivery('gelf_udp', deps);
  const decoder = new GelfDatagramDecoder({ ...options, onDrop: delivery.drop });
  // Expiry also runs on every chunk; the timer catches partial messages when no more chunks come.
  const sweep = setInterval(() => decoder.chunks.expire(Date.now()), Math.min(1000, options.chunkTimeoutMs)).unref();
  return startUdpListener(
    { name: 'gelf_udp', host: options.host, port: options.port, recvBufferBytes: options.recvBufferBytes },
    deps.logger,
    (datagram, remote) => {
      delivery.received(datagram.length);
      const result = decoder.decode(datagram, remote.address);
      if (!('pending' in result)) {
        delivery.forward(result, remote);
      }
    },
    () => {
      clearInterval(sweep);
      decoder.chunks.clear();
    }
  );
}
