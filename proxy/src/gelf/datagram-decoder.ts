/**
 * A GELF UDP datagram → a decoded object, "wait for more pieces", or a drop reason. Synchronous: inflateSync of a
 * DreamFactory-sized payload costs microseconds, far less than the threadpool round trip of async zlib, and keeps the
 * order of events from one sender.
 */
import type { DropReason } from '../pipeline-types';
import { ChunkAssembler } from './chunk-assembler';
import { isChunk, parseChunk } from './chunk-header';
import { DecodeResult, decodePayload } from './payload';

export interface GelfDatagramDecoderOptions {
  maxMessageBytes: number;
  chunkTimeoutMs: number;
  maxPendingChunkBytes: number;
  /** Drops that belong to no single datagram (expired or evicted partial messages). */
  onDrop: (reason: DropReason) => void;
}

export type DatagramResult = DecodeResult | { pending: true };

export class GelfDatagramDecoder {
  readonly chunks: ChunkAssembler;

  constructor(private readonly options: GelfDatagramDecoderOptions) {
    this.chunks = new ChunkAssembler({
      timeoutMs: options.chunkTimeoutMs,
      maxPendingBytes: options.maxPendingChunkBytes,
      onDrop: options.onDrop,
    });
  }

  decode(datagram: Buffer, sender: string, now = Date.now()): DatagramResult {
    if (!isChunk(datagram)) {
      return decodePayload(datagram, this.options.maxMessageBytes);
    }
    const chunk = parseChunk(datagram);
    if ('drop' in chunk) {
      return chunk;
    }
    const added = this.chunks.add(chunk, sender, now);
    if (!('payload' in added)) {
      return added;
    }
    // A reassembled payload is never parsed as a chunk again (gelfd2's chunk-in-chunk loop): raw, zlib or gzip only.
    return isChunk(added.payload) ? { drop: 'bad_chunk' } : decodePayload(added.payload, this.options.maxMessageBytes);
  }
}
