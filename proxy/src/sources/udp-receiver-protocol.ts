/** Messages between the UDP receiving thread (udp-receiver-worker.ts) and the main thread (udp-receiver.ts). */
import type { SourceName } from '../pipeline-types';

export interface SocketSpec {
  source: SourceName;
  host: string;
  port: number;
  /** SO_RCVBUF to ask for; undefined keeps the kernel default (net.core.rmem_default). */
  recvBufferBytes?: number;
}

export interface ReceiverInit {
  sockets: SocketSpec[];
  /** Datagrams received but not yet processed by the main thread may hold at most this many bytes. */
  maxBufferedBytes: number;
  /** A batch is handed over when it has this many datagrams… */
  batchMaxDatagrams: number;
  /** …or this long after its first one. */
  flushIntervalMs: number;
  /** One Int32: bytes handed over and not yet processed. */
  inFlightBytes: SharedArrayBuffer;
}

export type ReceiverMessage =
  | { type: 'bound'; source: SourceName; host: string; port: number; effectiveRecvBufferBytes: number; bufferError?: string }
  | { type: 'bind_failed'; source: SourceName; message: string }
  | { type: 'error'; source: SourceName; message: string }
  | { type: 'closed'; source: SourceName }
  | {
      type: 'batch';
      source: SourceName;
      /**
       * The kept datagrams back to back (`dataBytes`, a multiple of 8), then for each of the `count` datagrams: its
       * receive time (float64, ms since the epoch), length (uint32), sender (uint16 index into `addresses`) and the
       * sender's port (uint16). See batchViews().
       */
      buffer: ArrayBuffer;
      count: number;
      dataBytes: number;
      addresses: string[];
      /** Everything read off the socket, kept or not. */
      received: number;
      receivedBytes: number;
      /** Read but not kept: the in-memory bound was reached. */
      bufferFull: number;
    };

/** Close one socket. */
export interface ReceiverRequest {
  source: SourceName;
}

/** Typed views of a batch's buffer (the layout the receiving thread writes). */
export function batchViews(batch: { buffer: ArrayBuffer; count: number; dataBytes: number }) {
  const { buffer, count, dataBytes } = batch;
  return {
    times: new Float64Array(buffer, dataBytes, count),
    lengths: new Uint32Array(buffer, dataBytes + count * 8, count),
    senders: new Uint16Array(buffer, dataBytes + count * 12, count),
    ports: new Uint16Array(buffer, dataBytes + count * 14, count),
  };
}
