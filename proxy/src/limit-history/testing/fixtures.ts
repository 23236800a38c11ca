/** Limits and directories for the limit-history unit tests, in the shapes the relay and the directory produce. */
import type { LimitView } from '@shared/limits-api';
import { limitTypeInfo, parsePeriod } from '@shared/limits';
import type { DirectorySnapshot, DirectoryUser } from '../../dreamfactory/users';

export function limitView(overrides: Partial<LimitView> & Pick<LimitView, 'id' | 'type'>): LimitView {
  const period = overrides.period ?? 'hour';
  return {
    name: `Limit ${overrides.id}`,
    description: null,
    typeLabel: limitTypeInfo(overrides.type)?.label ?? overrides.type,
    rate: 100,
    period,
    periodSeconds: parsePeriod(period)?.seconds ?? 0,
    isActive: true,
    userId: null,
    userName: null,
    roleId: null,
    roleName: null,
    serviceId: null,
    serviceName: null,
    endpoint: null,
    verb: null,
    keyText: `${overrides.type}.${period}`,
    counters: [],
    ...overrides,
  };
}

export function directoryOf(
  users: Array<Pick<DirectoryUser, 'id' | 'email'> & Partial<DirectoryUser>>
): DirectorySnapshot {
  const full = users.map((u) => ({
    name: null,
    firstName: null,
    lastName: null,
    isAdmin: false,
    isActive: true,
    lastLoginMs: null,
    ...u,
  }));
  return { users: new Map(full.map((u) => [u.id, u])), fetchedAt: 0 };
}
