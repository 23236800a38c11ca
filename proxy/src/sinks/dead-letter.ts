import type { QueuedEvent } from './bulk-record';
import type { estypes } from '../clients/elasticsearch';
import type { Redactor } from '../redaction';
import { describeError } from './bulk-items';

/**
 * The dead-letter document for an event Elasticsearch refused (400/404): why, where it was going, and the original
 * document as a string, so a mapping conflict cannot reject the dead letter too. Indexed with the event's id, so a
 * replay overwrites rather than duplicates. The redactor (when redaction is on) covers what the document never went
 * through: Elasticsearch's reason quotes field values, and events queued by an older proxy replay unredacted.
 */
export function deadLetterDoc(
  event: Pick<QueuedEvent, 'id' | 'doc'>,
  targetIndex: string,
  status: number,
  error: estypes.ErrorCause,
  now: Date,
  redactor?: Redactor
): string {
  const letter = {
    '@timestamp': now.toISOString(),
    event_id: event.id,
    target_index: targetIndex,
    status,
    error_type: error.type,
    error_reason: describeError(error),
    original: event.doc,
  };
  redactor?.redactInPlace(letter);
  return JSON.stringify(letter);
}
