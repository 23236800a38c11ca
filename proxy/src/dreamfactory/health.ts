/**
 * Whether DreamFactory answers the proxy: reachable, its credentials (API key or admin login) accepted, its version. Asked with what the proxy
 * needs anyway (one row of `system/user`, with the count); the version (`system/environment`) is best effort.
 * The Status page and the datasource's Save & test both read it.
 */
import type { DreamFactoryStatus } from '@shared/status-api';
import { DreamFactoryError, explainDreamFactoryError, refusesProxyCredentials, type DreamFactoryClient } from '../clients/dreamfactory';

export interface DreamFactoryCheck extends DreamFactoryStatus {
  /** Non-admin users DreamFactory counted, when it answered. */
  users?: number;
}

interface EnvironmentInfo {
  platform?: { version?: string };
}

export async function checkDreamFactory(df: DreamFactoryClient): Promise<DreamFactoryCheck> {
  if (!df.configured) {
    return {
      configured: false,
      reachable: false,
      error: 'DreamFactory is not configured (DF_URL and DF_API_KEY, or DF_ADMIN_EMAIL and DF_ADMIN_PASSWORD).',
    };
  }
  const auth = df.auth;
  const [users, environment] = await Promise.allSettled([
    df.get<{ meta?: { count?: number } }>('system/user', { fields: 'id', limit: 1, include_count: true }),
    df.get<EnvironmentInfo>('system/environment'),
  ]);
  const version = environment.status === 'fulfilled' ? environment.value?.platform?.version : undefined;
  if (users.status === 'fulfilled') {
    return { configured: true, reachable: true, auth, keyValid: true, version, users: users.value.meta?.count ?? 0 };
  }
  const err = users.reason;
  if (!(err instanceof DreamFactoryError)) {
    return { configured: true, reachable: true, auth, version, error: (err as Error).message };
  }
  if (err.unreachable) {
    return { configured: true, reachable: false, auth, error: err.message };
  }
  return {
    configured: true,
    reachable: true,
    auth,
    keyValid: refusesProxyCredentials(err) ? false : undefined,
    version,
    error: explainDreamFactoryError(err, df.credentialSettings),
  };
}
