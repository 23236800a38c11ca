/**
 * The user directory: every DreamFactory user and admin (all pages of `system/user` and `system/admin`), cached for
 * `dreamfactory.directoryTtlMs`. When stale it is served as is while one background refresh runs; concurrent callers
 * share one fetch; when DreamFactory is down the last good copy keeps serving and a notice says so.
 */
import type { FrameNotice } from '@shared/query';
import type { DreamFactoryClient } from '../clients/dreamfactory';
import { toDirectoryUser, type DfUserRecord, type DirectorySnapshot, type DirectoryUser } from './users';

const USER_FIELDS = 'id,name,first_name,last_name,email,is_active,last_login_date';

export type DirectoryLookup = 'hit' | 'stale' | 'miss';

export interface DirectoryRead {
  /** Absent only when DreamFactory never answered (or is not configured). */
  snapshot?: DirectorySnapshot;
  /** Set when the snapshot is missing or older than it should be because DreamFactory failed. */
  notice?: FrameNotice;
}

export interface DirectoryStatus {
  users: number;
  fetchedAt: string | null;
  stale: boolean;
  lastError: string | null;
}

export class UserDirectory {
  private snapshot?: DirectorySnapshot;
  private inflight?: Promise<DirectorySnapshot>;
  private lastError?: string;

  constructor(
    private readonly df: DreamFactoryClient,
    private readonly ttlMs: number,
    private readonly onLookup: (lookup: DirectoryLookup, users: number) => void = () => undefined,
    private readonly now: () => number = Date.now
  ) {}

  async read(): Promise<DirectoryRead> {
    if (!this.snapshot) {
      this.onLookup('miss', 0);
      try {
        await this.refresh();
      } catch {
        return { notice: { severity: 'warning', text: `${this.lastError} Users are shown by id.` } };
      }
    } else if (this.isStale()) {
      this.onLookup('stale', this.snapshot.users.size);
      // Serve what we have now; the refresh records its own failure for the next reader.
      this.refresh().catch(() => undefined);
    } else {
      this.onLookup('hit', this.snapshot.users.size);
    }
    const snapshot = this.snapshot!;
    return this.lastError
      ? { snapshot, notice: { severity: 'warning', text: `${this.lastError} User names are as of ${new Date(snapshot.fetchedAt).toISOString()}.` } }
      : { snapshot };
  }

  /** Fetches both lists now; concurrent calls share the one fetch in flight. */
  refresh(): Promise<DirectorySnapshot> {
    this.inflight ??= this.fetch().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  /** Forgets the cached copy (the next read fetches again). */
  clear(): void {
    this.snapshot = undefined;
  }

  status(): DirectoryStatus {
    return {
      users: this.snapshot?.users.size ?? 0,
      fetchedAt: this.snapshot ? new Date(this.snapshot.fetchedAt).toISOString() : null,
      stale: this.snapshot ? this.isStale() : false,
      lastError: this.lastError ?? null,
    };
  }

  private isStale(): boolean {
    return !this.snapshot || this.now() - this.snapshot.fetchedAt >= this.ttlMs;
  }

  private async fetch(): Promise<DirectorySnapshot> {
    try {
      const [users, admins] = await Promise.all([
        this.df.listAll<DfUserRecord>('system/user', { fields: USER_FIELDS }),
        this.df.listAll<DfUserRecord>('system/admin', { fields: USER_FIELDS }),
      ]);
      const map = new Map<string, DirectoryUser>();
      for (const record of users) {
        map.set(String(record.id), toDirectoryUser(record, false));
      }
      for (const record of admins) {
        map.set(String(record.id), toDirectoryUser(record, true));
      }
      this.snapshot = { users: map, fetchedAt: this.now() };
      this.lastError = undefined;
      return this.snapshot;
    } catch (err) {
      this.lastError = `DreamFactory user directory unavailable: ${(err as Error).message.replace(/\.$/, '')}.`;
      throw err;
    }
  }
}
