import { decodePayload } from '../gelf/payload';
import type { Source } from '../pipeline-types';
import type { SourceDeps } from './deliver';
import { DEFAULT_UDP_RECEIVER, startUdpSources, UdpReceiverOptions, UdpSourceSpec } from './udp-receiver';

export interface JsonUdpOptions {
  host: string;
  port: number;
  /** SO_RCVBUF to ask for; undefined keeps the kernel default. */
  recvBufferBytes?: number;
  maxMessageBytes: number;
}

/** DreamFactory's `udp` protocol: one uncompressed JSON object per datagram. */
export function jsonUdpSpec(options: JsonUdpOptions): UdpSourceSpec {
  return {
    source: 'json_udp',
    format: 'json',
    host: options.host,
    port: options.port,
    recvBufferBytes: options.recvBufferBytes,
    decode: (datagram) => decodePayload(datagram, options.maxMessageBytes),
  };
}

/** A JSON UDP listener on its own receiving thread (the proxy starts all UDP sources on one: see sources/index.ts). */
export async function startJsonUdpSource(options: JsonUdpOptions, deps: SourceDeps, receiver: UdpReceiverOptions = DEFAULT_UDP_RECEIVER): Promise<Source> {
  const [source] = await startUdpSources([jsonUdpSpec(options)], receiver, deps);
  return source;
}
