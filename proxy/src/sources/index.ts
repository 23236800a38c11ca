/**
 * The ingest listeners. The pipeline starts them with its handler (transform + queue) and drop counter; GELF HTTP is
 * a route on the proxy's own server (registerGelfHttpRoute), the rest have their own ports.
 */
import type { ProxyContext } from '../context';
import type { DropHandler, MessageHandler, Source } from '../pipeline-types';
import type { SourceDeps } from './deliver';
import { startGelfTcpSource } from './gelf-tcp';
import { startGelfUdpSource } from './gelf-udp';
import { startJsonHttpSource } from './json-http';
import { startJsonTcpSource } from './json-tcp';
import { startJsonUdpSource } from './json-udp';

export { registerGelfHttpRoute } from './gelf-http';

/** How long a DreamFactory JSON-over-TCP connection may stay silent before what it sent is taken as the message. */
const JSON_TCP_IDLE_MS = 30_000;

/** Starts every enabled listener; if one cannot bind, the ones already started are closed and the error is thrown. */
export async function startSources(ctx: ProxyContext, handler: MessageHandler, drop: DropHandler): Promise<Source[]> {
  const ingest = ctx.config.ingest;
  const deps: SourceDeps = { metrics: ctx.metrics, logger: ctx.logger, handler, drop };
  const common = { maxMessageBytes: ingest.maxMessageBytes };
  const starters: Array<[boolean, () => Promise<Source>]> = [
    [
      ingest.gelfUdp.enabled,
      () =>
        startGelfUdpSource(
          {
            ...ingest.gelfUdp,
            ...common,
            recvBufferBytes: ingest.udpReceiveBufferBytes,
            chunkTimeoutMs: ingest.chunkTimeoutMs,
            maxPendingChunkBytes: ingest.maxPendingChunkBytes,
          },
          deps
        ),
    ],
    [ingest.gelfTcp.enabled, () => startGelfTcpSource({ ...ingest.gelfTcp, ...common, maxFrameBytes: ingest.maxTcpFrameBytes }, deps)],
    [ingest.jsonUdp.enabled, () => startJsonUdpSource({ ...ingest.jsonUdp, ...common, recvBufferBytes: ingest.udpReceiveBufferBytes }, deps)],
    [
      ingest.jsonTcp.enabled,
      () => startJsonTcpSource({ ...ingest.jsonTcp, ...common, maxFrameBytes: ingest.maxTcpFrameBytes, idleTimeoutMs: JSON_TCP_IDLE_MS }, deps),
    ],
    [ingest.jsonHttp.enabled, () => startJsonHttpSource({ ...ingest.jsonHttp, ...common }, deps)],
  ];
  const started: Source[] = [];
  try {
    for (const [enabled, start] of starters) {
      if (enabled) {
        started.push(await start());
      }
    }
  } catch (err) {
    await Promise.all(started.map((source) => source.close()));
    throw err;
  }
  return started;
}
