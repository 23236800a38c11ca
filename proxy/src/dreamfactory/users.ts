/**
 * DreamFactory's users and admins as the proxy models them: the `system/user` / `system/admin` record, the directory
 * entry made from it, and how a user is named. The user directory, the limit relay and query enrichment all read
 * users through this file.
 */

/** A `system/user` or `system/admin` record, as far as the proxy reads it (docs/dreamfactory.md#lists-and-paging). */
export interface DfUserRecord {
  id: number | string;
  name?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  email?: string | null;
  is_active?: boolean | null;
  last_login_date?: string | null;
}

export interface DirectoryUser {
  id: string;
  name: string | null;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  isAdmin: boolean;
  isActive: boolean;
  /** DreamFactory's `last_login_date` as epoch ms (it sends "YYYY-MM-DD HH:MM:SS", UTC). */
  lastLoginMs: number | null;
}

/** Every user and admin DreamFactory knows, by id, as of `fetchedAt`. */
export interface DirectorySnapshot {
  users: ReadonlyMap<string, DirectoryUser>;
  fetchedAt: number;
}

/** DreamFactory sends `last_login_date` as "YYYY-MM-DD HH:MM:SS" in UTC. */
export function parseDfDate(value: string | null | undefined): number | null {
  if (!value) {
    return null;
  }
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value) ? `${value.replace(' ', 'T')}Z` : value);
  return Number.isFinite(ms) ? ms : null;
}

export function toDirectoryUser(record: DfUserRecord, isAdmin: boolean): DirectoryUser {
  return {
    id: String(record.id),
    name: record.name || null,
    email: record.email || null,
    firstName: record.first_name || null,
    lastName: record.last_name || null,
    isAdmin,
    isActive: record.is_active ?? true,
    lastLoginMs: parseDfDate(record.last_login_date),
  };
}

/** A user's display name: name, else first + last; null when DreamFactory has neither. */
export function displayName(user: DirectoryUser): string | null {
  const full = [user.firstName, user.lastName].filter(Boolean).join(' ');
  return user.name || full || null;
}

/** How a user record reads in a picker or a limit: the display name, else the email (many accounts have no name). */
export function userLabel(user: DfUserRecord): string {
  return displayName(toDirectoryUser(user, false)) ?? user.email ?? `User ${user.id}`;
}
