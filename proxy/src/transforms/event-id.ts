import { createHash } from 'node:crypto';
import type { ReceivedMessage } from '../pipeline-types';

/**
 * A document id derived from the message, so the same message indexed twice (a sender's retry, a queue replay) is
 * one document. GELF messages carry a µs timestamp, so source + content identify them. DreamFactory's JSON modes
 * carry no timestamp: two identical calls would have identical bodies, so the receive time (ms) and the sender's
 * port (DreamFactory opens a socket per message) are added; a resend of those is then a new document.
 * `canonicalBody` is the body as stableStringify writes it (keys sorted), so key order does not matter.
 */
export function eventId(message: ReceivedMessage, canonicalBody: string, hasTimestamp: boolean): string {
  const hash = createHash('sha256').update(message.source).update('\n').update(canonicalBody);
  if (!hasTimestamp) {
    hash.update(`\n${message.receivedAt.toISOString()}\n${message.remoteAddress ?? ''}:${message.remotePort ?? ''}`);
  }
  return hash.digest('base64url');
}
