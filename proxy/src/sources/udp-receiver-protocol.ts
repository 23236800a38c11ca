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
      /** The kept datagrams back to back. */
      data: ArrayBuffer;
      /** Per kept datagram: its length, its sender (port, index into `addresses`) and receive time (ms since the epoch). */
      lengths: Uint32Array;
      ports: Uint16Array;
      senders: Uint32Array;
      addresses: string[];
      times: Float64Array;
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
