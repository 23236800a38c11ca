import { hash } from 'node:crypto';
import type { ReceivedMessage } from '../pipeline-types';

/**
 * A document id derived from the message, so the same message indexed twice (a sender's retry, a queue replay) is
 * one document: sha256 over the source and the message's JSON text as received (after decompression), in base64url.
 * Hashing the received bytes costs one pass and needs no re-serialisation; a resend carries the same bytes.
 * GELF messages carry a µs timestamp, so source + content identify them. DreamFactory's JSON modes carry no
 * timestamp: two identical calls would have identical bodies, so the receive time (ms) and the sender's address and
 * port (DreamFactory opens a socket per message) are added; a resend of those is then a new document.
 */
export function eventId(message: ReceivedMessage, hasTimestamp: boolean): string {
  const parts = [Buffer.from(`${message.source}\n`), message.payload];
  if (!hasTimestamp) {
    parts.push(Buffer.from(`\n${message.receivedAt.toISOString()}\n${message.remoteAddress ?? ''}:${message.remotePort ?? ''}`));
  }
  // One-shot hashing of one buffer costs less than a Hash object fed piece by piece.
  return hash('sha256', Buffer.concat(parts), 'base64url');
}
