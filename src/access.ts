/** Who is signed in to Grafana and what the app lets them change. */
import { config } from '@grafana/runtime';
import type { WriteRole } from './types';

/**
 * The signed-in user's role in this organization: what Grafana checks a route's `reqRole` against. Being a Grafana
 * server admin grants nothing there, so it grants nothing here (docs/grafana.md).
 */
export function currentRole(): 'Admin' | 'Editor' | 'Viewer' {
  const { orgRole } = config.bootData.user;
  return orgRole === 'Admin' || orgRole === 'Editor' ? orgRole : 'Viewer';
}

/** Whether the signed-in user may change limits, given the app's configured minimum role. */
export function canWrite(writeRole: WriteRole = 'Admin'): boolean {
  const role = currentRole();
  return role === 'Admin' || (role === 'Editor' && writeRole === 'Editor');
}
