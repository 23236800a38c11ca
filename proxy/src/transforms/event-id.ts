import { createHash } from 'node:crypto';
import type { ReceivedMessage } from '../pipeline-types';

/**
 * A document id derived from the message, so the same message indexed twice (a sender's retry, a queue replay) is
 * one document. GELF messages carry a µs timestamp, so source + content identify them. DreamFactory's JSON modes
 * carry no timestamp: two identical calls would have identical bodies, so the receive time (ms) and the sender's
 * port (DreamFactory opens a socket per message) are added; a resend of those is then a new document.
 * `bodyJson` is JSON.stringify of the decoded body: a resend carries the same bytes, so the same keys in the same
 * order (sorting keys cost four times the serialisation and bought nothing for that case).
 */
export function eventId(message: ReceivedMessage, bodyJson: string, hasTimestamp: boolean): string {
  const hash = createHash('sha256').update(message.source).update('\n').update(bodyJson);
  if (!hasTimestamp) {
    hash.update(`\n${message.receivedAt.toISOString()}\n${message.remoteAddress ?? ''}:${message.remotePort ?? ''}`);
  }
  return hash.digest('base64url');
}
