import React from 'react';
import { ConfirmModal } from '@grafana/ui';
import type { BulkAction } from '@shared/limits-api';

/** What a confirmation needs to know about a limit. */
export interface LimitRef {
  id: number;
  name: string;
  eachUser: boolean;
}

/** A write that waits for the user's confirmation. Activating or deactivating runs without one. */
export type PendingAction =
  | { kind: 'delete'; row: LimitRef }
  | { kind: 'resetCounter'; row: LimitRef }
  | { kind: 'bulk'; action: Extract<BulkAction, 'delete' | 'resetCounters'>; rows: LimitRef[] }
  | { kind: 'resetAll' };

const EACH_USER_NOTE = 'DreamFactory keeps one counter per user for this limit and can only clear them all at once.';

function describe(pending: PendingAction): { title: string; body: React.ReactNode; confirmText: string } {
  switch (pending.kind) {
    case 'delete':
      return {
        title: 'Delete limit',
        body: `Delete the limit "${pending.row.name}"? Its counters are cleared too.`,
        confirmText: 'Delete',
      };
    case 'resetCounter':
      return {
        title: 'Reset counter',
        body: (
          <>
            <p>Clear counter for {pending.row.name}?</p>
            {pending.row.eachUser && <p>{EACH_USER_NOTE}</p>}
          </>
        ),
        confirmText: 'Clear counter',
      };
    case 'bulk': {
      const names = pending.rows.map((r) => r.name).join(', ');
      const count = `${pending.rows.length} ${pending.rows.length === 1 ? 'limit' : 'limits'}`;
      return pending.action === 'delete'
        ? { title: `Delete ${count}`, body: `Delete ${names}? Their counters are cleared too.`, confirmText: 'Delete' }
        : { title: `Reset ${count}`, body: `Clear the counters of ${names}?`, confirmText: 'Clear counters' };
    }
    case 'resetAll':
      return {
        title: 'Reset all counters',
        body: (
          <>
            <p>This flushes DreamFactory&apos;s whole limit store: every counter of every limit, for every user.</p>
            <p>Callers locked out by a limit can call again at once. The limits themselves are kept.</p>
          </>
        ),
        confirmText: 'Reset all counters',
      };
  }
}

interface Props {
  pending?: PendingAction;
  onConfirm: (pending: PendingAction) => void;
  onDismiss: () => void;
}

export function PendingActionModal({ pending, onConfirm, onDismiss }: Props) {
  if (!pending) {
    return null;
  }
  const { title, body, confirmText } = describe(pending);
  return (
    <ConfirmModal
      isOpen
      title={title}
      body={body}
      confirmText={confirmText}
      onConfirm={() => onConfirm(pending)}
      onDismiss={onDismiss}
    />
  );
}
