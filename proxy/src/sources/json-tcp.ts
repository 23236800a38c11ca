import { decodePayload } from '../gelf/payload';
import type { Source } from '../pipeline-types';
import { createDelivery, SourceDeps } from './deliver';
import { startTcpListener } from './tcp-listener';

export interface JsonTcpOptions {
  host: string;
  port: number;
  maxFrameBytes: number;
  maxMessageBytes: number;
  /** A connection silent this long is decoded with what it sent so far and closed. */
  idleTimeoutMs: number;
}

/**
 * DreamFactory's `tcp` protocol: one JSON object per connection, no delimiter, so the message ends when the sender
 * closes. Over `maxFrameBytes` the message is dropped (`too_big`) and the connection reset.
 */
export async function startJsonTcpSource(options: JsonTcpOptions, deps: SourceDeps): Promise<Source> {
  const delivery = createDelivery('json_tcp', deps, { durable: false });
  return startTcpListener({ name: 'json_tcp', host: options.host, port: options.port }, deps.logger, (socket) => {
    const sender = { address: socket.remoteAddress, port: socket.remotePort };
    const parts: Buffer[] = [];
    let bytes = 0;
    let done = false;
    const finish = () => {
      if (done || bytes === 0) {
        return;
      }
      done = true;
      const body = Buffer.concat(parts);
      delivery.received(body.length);
      delivery.forward(decodePayload(body, options.maxMessageBytes), sender);
    };
    socket.setTimeout(options.idleTimeoutMs, () => {
      finish();
      socket.destroy();
    });
    socket.on('data', (data: Buffer) => {
      if (done) {
        return;
      }
      bytes += data.length;
      if (bytes > options.maxFrameBytes) {
        done = true;
        delivery.received(bytes);
        delivery.drop('too_big');
        socket.resetAndDestroy();
        return;
      }
      parts.push(data);
    });
    socket.on('end', () => {
      finish();
      socket.end();
    });
    // Cut off mid-message: still decoded, so a truncated message is counted (bad_json), not silently lost.
    socket.on('close', finish);
  });
}
