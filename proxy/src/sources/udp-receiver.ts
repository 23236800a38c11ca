/**
 * UDP sources: one receiving thread (udp-receiver-worker.ts) drains every UDP socket and hands over batches; here,
 * on the main thread, each batch is decoded and passed on in one call. One thread hop per batch, never per event.
 *
 * The kernel silently caps SO_RCVBUF at net.core.rmem_max, and a small buffer is the main cause of UDP loss under
 * bursts, so the effective size is logged (and warned about when capped), and the kernel's drop counter of each of
 * our sockets is read into the ingest counters (kernel-drops.ts).
 */
import { existsSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DatagramResult } from '../gelf/datagram-decoder';
import type { IngestCounters } from '../ingest-counters';
import type { Logger } from '../logger';
import type { DropReason, ReceivedMessage, Source, SourceName } from '../pipeline-types';
import { plainAddress } from './deliver';
import { KernelDropMonitor } from './kernel-drops';
import { batchViews, type ReceiverInit, type ReceiverMessage, type ReceiverRequest, type SocketSpec } from './udp-receiver-protocol';

export interface UdpSourceSpec extends SocketSpec {
  format: ReceivedMessage['format'];
  /** Decodes one datagram (sender = its address, for chunk keys); pieces of chunked messages are `pending`. */
  decode(datagram: Buffer, sender: string): DatagramResult;
  /** Called when the source closes (e.g. to forget pending chunks). */
  onClose?(): void;
}

export interface UdpReceiverOptions {
  /** Bound on datagrams received and not yet decoded (held by the receiving thread or in transit). */
  maxBufferedBytes: number;
  /** Nice value for the calling (main) thread once the receiving thread exists; 0 leaves it. */
  mainThreadNice?: number;
  batchMaxDatagrams: number;
  flushIntervalMs: number;
}

export interface UdpReceiverDeps {
  logger: Logger;
  counters: IngestCounters;
  /** Takes a batch's decoded messages (owning their bodies); never throws. */
  deliverBatch(messages: ReceivedMessage[]): void;
}

export const DEFAULT_UDP_RECEIVER: UdpReceiverOptions = { maxBufferedBytes: 64 * 1024 * 1024, batchMaxDatagrams: 512, flushIntervalMs: 20 };

/** The worker entry next to this module: an ES module in TypeScript when run from source (tsx, jest), .js in the bundle. */
function workerEntry(): string {
  const source = join(__dirname, 'udp-receiver-worker.mts');
  return existsSync(source) ? source : join(__dirname, 'udp-receiver-worker.js');
}

/** Binds every spec's socket on one receiving thread; resolves with a Source per socket once all are bound. */
export async function startUdpSources(specs: UdpSourceSpec[], options: UdpReceiverOptions, deps: UdpReceiverDeps): Promise<Source[]> {
  const inFlight = new Int32Array(new SharedArrayBuffer(4));
  const init: ReceiverInit = {
    sockets: specs.map(({ source, host, port, recvBufferBytes }) => ({ source, host, port, recvBufferBytes })),
    ...options,
    inFlightBytes: inFlight.buffer as SharedArrayBuffer,
  };
  // A small young generation: each received datagram's buffer is freed only when the thread collects garbage, and
  // with V8's default size that is tens of thousands of datagrams later (hundreds of MB resident).
  const worker = new Worker(workerEntry(), { workerData: init, resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 32 } });
  lowerMainThread(options.mainThreadNice ?? 0, deps.logger);
  const bySource = new Map(specs.map((spec) => [spec.source, spec]));
  const kernel = new KernelDropMonitor(deps.counters);
  const closing = new Map<SourceName, () => void>();
  let exited = false;

  const bound = new Promise<Source[]>((resolve, reject) => {
    const sources: Source[] = [];
    worker.on('message', (message: ReceiverMessage) => {
      switch (message.type) {
        case 'bound': {
          logReceiveBuffer(deps.logger, bySource.get(message.source)!, message.effectiveRecvBufferBytes, message.bufferError);
          deps.logger.info({ source: message.source, host: message.host, port: message.port }, 'listening (udp)');
          kernel.watch(message.source, message.host, message.port);
          sources.push(udpSource(message.source, { host: message.host, port: message.port }));
          if (sources.length === specs.length) {
            kernel.start();
            resolve(sources);
          }
          break;
        }
        case 'bind_failed':
          reject(new Error(`cannot listen for ${message.source} on UDP ${bySource.get(message.source)!.port}: ${message.message}`));
          void worker.terminate();
          break;
        case 'error':
          deps.logger.error({ source: message.source, err: message.message }, 'UDP socket error');
          break;
        case 'closed':
          closing.get(message.source)?.();
          break;
        case 'batch':
          processBatch(bySource.get(message.source)!, message, deps);
          Atomics.sub(inFlight, 0, message.dataBytes);
          break;
      }
    });
    worker.on('error', (err) => {
      deps.logger.error({ err }, 'UDP receiving thread failed');
      reject(err);
    });
    worker.on('exit', () => {
      exited = true;
      kernel.stop();
      for (const done of closing.values()) {
        done();
      }
    });
  });

  const udpSource = (name: SourceName, address: { host: string; port: number }): Source => ({
    name,
    address: () => address,
    close: () =>
      new Promise<void>((resolve) => {
        bySource.get(name)!.onClose?.();
        kernel.unwatch(name);
        if (exited) {
          resolve();
          return;
        }
        closing.set(name, resolve);
        worker.postMessage({ source: name } satisfies ReceiverRequest);
      }),
  });

  return bound;
}

type BatchMessage = Extract<ReceiverMessage, { type: 'batch' }>;

function processBatch(spec: UdpSourceSpec, batch: BatchMessage, deps: UdpReceiverDeps): void {
  const { counters } = deps;
  counters.received(spec.source, batch.received, batch.receivedBytes);
  if (batch.bufferFull > 0) {
    counters.dropped(spec.source, 'buffer_full', batch.bufferFull);
  }
  const messages: ReceivedMessage[] = [];
  const drops = new Map<DropReason, number>();
  const addresses = batch.addresses.map(plainAddress);
  const { times, lengths, senders, ports } = batchViews(batch);
  let at = 0;
  for (let i = 0; i < batch.count; i++) {
    const datagram = Buffer.from(batch.buffer, at, lengths[i]);
    at += lengths[i];
    const address = addresses[senders[i]];
    const result = spec.decode(datagram, address!);
    if ('body' in result) {
      messages.push({
        source: spec.source,
        format: spec.format,
        body: result.body,
        payload: result.json,
        receivedAt: new Date(times[i]),
        remoteAddress: address,
        remotePort: ports[i],
      });
    } else if ('drop' in result) {
      drops.set(result.drop, (drops.get(result.drop) ?? 0) + 1);
    }
  }
  for (const [reason, count] of drops) {
    counters.dropped(spec.source, reason, count);
  }
  if (messages.length > 0) {
    counters.decoded(spec.source, messages.length, messages[messages.length - 1].receivedAt.getTime());
    deps.deliverBatch(messages);
  }
}

/**
 * The receiving thread has already started (the Worker constructor starts it), so it keeps its priority while the
 * main thread — decoding, transforming, shipping — yields to it under contention. On Linux a nice value belongs to a
 * thread, and pid 0 is the calling one; threads the main thread creates later inherit it.
 */
function lowerMainThread(nice: number, logger: Logger): void {
  if (nice <= 0 || getPriority(0) >= nice) {
    return;
  }
  try {
    setPriority(0, nice);
  } catch (err) {
    logger.warn({ err: (err as Error).message, nice }, 'cannot lower the main thread priority; bursts may lose more datagrams');
  }
}

/** Linux reports double the size asked for (room for bookkeeping); the receiving thread already halved it. */
function logReceiveBuffer(logger: Logger, spec: UdpSourceSpec, effective: number, error: string | undefined): void {
  const requested = spec.recvBufferBytes;
  if (error !== undefined) {
    logger.warn({ source: spec.source, requested, err: error }, 'cannot set UDP receive buffer');
  }
  if (requested !== undefined && effective < requested) {
    logger.warn({ source: spec.source, requested, effective }, 'UDP receive buffer capped by the kernel; raise net.core.rmem_max to avoid losing bursts');
  } else {
    logger.info({ source: spec.source, effective }, 'UDP receive buffer');
  }
}
