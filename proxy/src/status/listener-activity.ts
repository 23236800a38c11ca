/** A source's activity from its own numbers: what the status page's state column and the ingest tile say. Pure. */
import { RECEIVING_WINDOW_MS, type ListenerActivity } from '@shared/status-api';

export interface ActivityInput {
  enabled: boolean;
  /** When the source last received a message (ISO); undefined if it never did. */
  lastReceivedAt?: string;
}

export function listenerActivity({ enabled, lastReceivedAt }: ActivityInput, now: Date): ListenerActivity {
  if (!enabled) {
    return 'disabled';
  }
  if (lastReceivedAt === undefined) {
    return 'never_received';
  }
  return now.getTime() - Date.parse(lastReceivedAt) <= RECEIVING_WINDOW_MS ? 'receiving' : 'idle';
}
