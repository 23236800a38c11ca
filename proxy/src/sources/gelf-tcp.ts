import type { Socket } from 'node:net';
import { decodePayload } from '../gelf/payload';
import type { Source } from '../pipeline-types';
import { createDelivery, Delivery, SourceDeps } from './deliver';
import { startTcpListener } from './tcp-listener';

export interface GelfTcpOptions {
  host: string;
  port: number;
  maxFrameBytes: number;
  maxMessageBytes: number;
}

/**
 * GELF over TCP: NUL-terminated frames, many per connection. A frame larger than `maxFrameBytes` is dropped
 * (`too_big`) and its connection reset, since the rest of that stream cannot be framed reliably; other connections
 * are unaffected. Whitespace-only frames (e.g. a stray newline after the NUL) are ignored.
 */
export async function startGelfTcpSource(options: GelfTcpOptions, deps: SourceDeps): Promise<Source> {
  const delivery = createDelivery('gelf_tcp', deps, { durable: false });
  return startTcpListener({ name: 'gelf_tcp', host: options.host, port: options.port }, deps.logger, (socket) =>
    readFrames(socket, options, delivery)
  );
}

function readFrames(socket: Socket, options: GelfTcpOptions, delivery: Delivery): void {
  let parts: Buffer[] = [];
  let partBytes = 0;
  const sender = { address: socket.remoteAddress, port: socket.remotePort };

  const frame = (bytes: Buffer) => {
    if (isBlank(bytes)) {
      return;
    }
    delivery.received(bytes.length);
    if (bytes.length > options.maxFrameBytes) {
      delivery.drop('too_big');
      return;
    }
    delivery.forward(decodePayload(bytes, options.maxMessageBytes), sender);
  };

  socket.on('data', (data: Buffer) => {
    let start = 0;
    for (let nul = data.indexOf(0, start); nul !== -1; nul = data.indexOf(0, start)) {
      const piece = data.subarray(start, nul);
      frame(parts.length ? Buffer.concat([...parts, piece]) : piece);
      parts = [];
      partBytes = 0;
      start = nul + 1;
    }
    const rest = data.subarray(start);
    if (rest.length === 0) {
      return;
    }
    partBytes += rest.length;
    if (partBytes > options.maxFrameBytes) {
      delivery.received(partBytes);
      delivery.drop('too_big');
      parts = [];
      partBytes = 0;
      socket.resetAndDestroy();
      return;
    }
    parts.push(rest);
  });
  // A last frame without its NUL (sender closed right after writing) still counts: decoded or dropped, not lost.
  socket.on('end', () => {
    if (parts.length) {
      frame(Buffer.concat(parts));
      parts = [];
    }
  });
}

function isBlank(bytes: Buffer): boolean {
  for (const byte of bytes) {
    if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) {
      return false;
    }
  }
  return true;
}
