import { GelfDatagramDecoder } from '../gelf/datagram-decoder';
import type { IngestCounters } from '../ingest-counters';
import type { Source } from '../pipeline-types';
import type { SourceDeps } from './deliver';
import { DEFAULT_UDP_RECEIVER, startUdpSources, UdpReceiverOptions, UdpSourceSpec } from './udp-receiver';

export interface GelfUdpOptions {
  host: string;
  port: number;
  /** SO_RCVBUF to ask for; undefined keeps the kernel default. */
  recvBufferBytes?: number;
  maxMessageBytes: number;
  chunkTimeoutMs: number;
  maxPendingChunkBytes: number;
}

/** GELF over UDP: plain, zlib or gzip datagrams, chunked in either the standard or DreamFactory's layout. */
export function gelfUdpSpec(options: GelfUdpOptions, counters: IngestCounters): UdpSourceSpec {
  const decoder = new GelfDatagramDecoder({ ...options, onDrop: (reason) => counters.dropped('gelf_udp', reason) });
  // Expiry also runs on every chunk; the timer catches partial messages when no more chunks come.
  const sweep = setInterval(() => decoder.chunks.expire(Date.now()), Math.min(1000, options.chunkTimeoutMs)).unref();
  return {
    source: 'gelf_udp',
    format: 'gelf',
    host: options.host,
    port: options.port,
    recvBufferBytes: options.recvBufferBytes,
    decode: (datagram, sender) => decoder.decode(datagram, sender),
    onClose: () => {
      clearInterval(sweep);
      decoder.chunks.clear();
    },
  };
}

/** A GELF UDP listener on its own receiving thread (the proxy starts all UDP sources on one: see sources/index.ts). */
export async function startGelfUdpSource(options: GelfUdpOptions, deps: SourceDeps, receiver: UdpReceiverOptions = DEFAULT_UDP_RECEIVER): Promise<Source> {
  const [source] = await startUdpSources([gelfUdpSpec(options, deps.counters)], receiver, deps);
  return source;
}
