/**
 * The ingest listeners. The pipeline starts them with its deliveries (transform + queue) and counters; GELF HTTP is
 * a route on the proxy's own server (registerGelfHttpRoute), the rest have their own ports. Every UDP socket is
 * drained by one receiving thread (udp-receiver.ts).
 */
import type { Config } from '../config';
import { Source, SOURCE_NAMES } from '../pipeline-types';
import type { SourceDeps } from './deliver';
import { startGelfTcpSource } from './gelf-tcp';
import { gelfUdpSpec } from './gelf-udp';
import { startJsonHttpSource } from './json-http';
import { startJsonTcpSource } from './json-tcp';
import { jsonUdpSpec } from './json-udp';
import { DEFAULT_UDP_RECEIVER, startUdpSources, UdpSourceSpec } from './udp-receiver';

export { registerGelfHttpRoute } from './gelf-http';
export type { SourceDeps } from './deliver';

/** How long a DreamFactory JSON-over-TCP connection may stay silent before what it sent is taken as the message. */
const JSON_TCP_IDLE_MS = 30_000;

/** Starts every enabled listener; if one cannot bind, the ones already started are closed and the error is thrown. */
export async function startSources(ingest: Config['ingest'], deps: SourceDeps): Promise<Source[]> {
  const common = { maxMessageBytes: ingest.maxMessageBytes };
  // 0 leaves the kernel's default receive buffer (net.core.rmem_default).
  const recvBufferBytes = ingest.udpReceiveBufferBytes > 0 ? ingest.udpReceiveBufferBytes : undefined;
  const udp: UdpSourceSpec[] = [];
  if (ingest.gelfUdp.enabled) {
    udp.push(gelfUdpSpec({ ...ingest.gelfUdp, ...common, recvBufferBytes, chunkTimeoutMs: ingest.chunkTimeoutMs, maxPendingChunkBytes: ingest.maxPendingChunkBytes }, deps.counters));
  }
  if (ingest.jsonUdp.enabled) {
    udp.push(jsonUdpSpec({ ...ingest.jsonUdp, ...common, recvBufferBytes }));
  }
  const starters: Array<[boolean, () => Promise<Source[]>]> = [
    [udp.length > 0, () => startUdpSources(udp, { ...DEFAULT_UDP_RECEIVER, maxBufferedBytes: ingest.udpBufferBytes, mainThreadNice: ingest.mainThreadNice }, deps)],
    [ingest.gelfTcp.enabled, async () => [await startGelfTcpSource({ ...ingest.gelfTcp, ...common, maxFrameBytes: ingest.maxTcpFrameBytes }, deps)]],
    [
      ingest.jsonTcp.enabled,
      async () => [await startJsonTcpSource({ ...ingest.jsonTcp, ...common, maxFrameBytes: ingest.maxTcpFrameBytes, idleTimeoutMs: JSON_TCP_IDLE_MS }, deps)],
    ],
    [ingest.jsonHttp.enabled, async () => [await startJsonHttpSource({ ...ingest.jsonHttp, ...common }, deps)]],
  ];
  const started: Source[] = [];
  try {
    for (const [enabled, start] of starters) {
      if (enabled) {
        started.push(...(await start()));
      }
    }
  } catch (err) {
    await Promise.all(started.map((source) => source.close()));
    throw err;
  }
  return started.sort((a, b) => SOURCE_NAMES.indexOf(a.name) - SOURCE_NAMES.indexOf(b.name));
}
