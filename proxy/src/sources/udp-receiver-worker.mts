/**
 * The UDP receiving thread: binds the sockets and does nothing but drain them into memory and hand batches to the
 * main thread, so a busy transform, a GC pause or a bulk request on the main thread never leaves the kernel's receive
 * buffer to overflow. Memory is bounded: past `maxBufferedBytes` not yet processed by the main thread, datagrams are
 * read and counted as `buffer_full` instead of kept.
 *
 * Runs as a worker_threads entry (plain Node with type stripping, tsx, or the esbuild bundle), so it imports only
 * Node's own modules; the message shapes are declared in udp-receiver-protocol.ts.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { parentPort, workerData } from 'node:worker_threads';
import type { ReceiverInit, ReceiverMessage, ReceiverRequest, SocketSpec } from './udp-receiver-protocol';

const init = workerData as ReceiverInit;
const port = parentPort!;
/** Bytes handed to the main thread and not yet processed by it (the main thread subtracts). */
const inFlight = new Int32Array(init.inFlightBytes);
/** Linux reports double the receive buffer asked for (the kernel adds room for its bookkeeping). */
const REPORTED_FACTOR = process.platform === 'linux' ? 2 : 1;

class Batch {
  datagrams: Buffer[] = [];
  senders: RemoteInfo[] = [];
  times: number[] = [];
  bytes = 0;
  received = 0;
  receivedBytes = 0;
  bufferFull = 0;
}

class Receiver {
  readonly spec: SocketSpec;
  readonly socket: Socket;
  private batch = new Batch();
  private timer: NodeJS.Timeout | undefined;

  // Plain fields, not parameter properties: this file runs with type stripping only.
  constructor(spec: SocketSpec, socket: Socket) {
    this.spec = spec;
    this.socket = socket;
    socket.on('message', (datagram, remote) => this.receive(datagram, remote));
  }

  private receive(datagram: Buffer, remote: RemoteInfo): void {
    const batch = this.batch;
    batch.received += 1;
    batch.receivedBytes += datagram.length;
    if (Atomics.load(inFlight, 0) + batch.bytes + datagram.length > init.maxBufferedBytes) {
      batch.bufferFull += 1;
    } else {
      batch.datagrams.push(datagram);
      batch.senders.push(remote);
      batch.times.push(Date.now());
      batch.bytes += datagram.length;
    }
    if (batch.datagrams.length >= init.batchMaxDatagrams) {
      this.flush();
    } else {
      this.timer ??= setTimeout(() => this.flush(), init.flushIntervalMs);
    }
  }

  /** Posts the batch: its datagrams packed into one transferred buffer, so the hand-off is one message. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.batch;
    if (batch.received === 0) {
      return;
    }
    this.batch = new Batch();
    // One transferred buffer per batch: the datagrams back to back, then (8-byte aligned) per datagram its receive
    // time, length, sender index and port (layout in udp-receiver-protocol.ts).
    const count = batch.datagrams.length;
    const dataBytes = Math.ceil(batch.bytes / 8) * 8;
    const buffer = new ArrayBuffer(dataBytes + count * 18);
    const data = new Uint8Array(buffer, 0, batch.bytes);
    const times = new Float64Array(buffer, dataBytes, count);
    const lengths = new Uint32Array(buffer, dataBytes + count * 8, count);
    const senders = new Uint16Array(buffer, dataBytes + count * 12, count);
    const ports = new Uint16Array(buffer, dataBytes + count * 14, count);
    const addresses: string[] = [];
    let at = 0;
    for (let i = 0; i < count; i++) {
      const datagram = batch.datagrams[i];
      data.set(datagram, at);
      at += datagram.length;
      const sender = batch.senders[i];
      if (addresses[addresses.length - 1] !== sender.address) {
        addresses.push(sender.address);
      }
      times[i] = batch.times[i];
      lengths[i] = datagram.length;
      senders[i] = addresses.length - 1;
      ports[i] = sender.port;
    }
    Atomics.add(inFlight, 0, dataBytes);
    const message: ReceiverMessage = {
      type: 'batch',
      source: this.spec.source,
      buffer,
      count,
      dataBytes,
      addresses,
      received: batch.received,
      receivedBytes: batch.receivedBytes,
      bufferFull: batch.bufferFull,
    };
    port.postMessage(message, [buffer]);
  }
}

const receivers = new Map<string, Receiver>();

async function bind(spec: SocketSpec): Promise<Receiver> {
  const socket = createSocket({ type: spec.host.includes(':') ? 'udp6' : 'udp4' });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(spec.port, spec.host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  socket.on('error', (err) => post({ type: 'error', source: spec.source, message: err.message }));
  let bufferError: string | undefined;
  if (spec.recvBufferBytes !== undefined) {
    try {
      socket.setRecvBufferSize(spec.recvBufferBytes);
    } catch (err) {
      bufferError = (err as Error).message;
    }
  }
  const bound = socket.address();
  post({
    type: 'bound',
    source: spec.source,
    host: bound.address,
    port: bound.port,
    effectiveRecvBufferBytes: socket.getRecvBufferSize() / REPORTED_FACTOR,
    bufferError,
  });
  return new Receiver(spec, socket);
}

function post(message: ReceiverMessage): void {
  port.postMessage(message);
}

async function start(): Promise<void> {
  for (const spec of init.sockets) {
    try {
      receivers.set(spec.source, await bind(spec));
    } catch (err) {
      post({ type: 'bind_failed', source: spec.source, message: (err as Error).message });
      return;
    }
  }
}

port.on('message', (request: ReceiverRequest) => {
  const receiver = receivers.get(request.source);
  if (!receiver) {
    post({ type: 'closed', source: request.source });
    return;
  }
  receivers.delete(request.source);
  receiver.socket.close(() => {
    receiver.flush();
    post({ type: 'closed', source: request.source });
    if (receivers.size === 0) {
      port.close();
    }
  });
});

void start();
