/**
 * `--create-users`: a least-privilege role and user for the proxy and a read-only pair for query tools. Passwords are
 * generated here and returned once for printing; an existing user keeps its password (a running proxy may use it).
 */
import { randomBytes } from 'node:crypto';
import type { ElasticsearchClient, EsConfig } from '../clients/elasticsearch';
import { proxyPrivileges, readerPrivileges, type PrivilegeSet } from '../clients/elasticsearch-privileges';

export const PROXY_ROLE = 'dreamfactory_insights_proxy';
export const PROXY_USER = 'dreamfactory_insights_proxy';
export const READER_ROLE = 'dreamfactory_insights_reader';
export const READER_USER = 'dreamfactory_insights_reader';

export interface CreatedUser {
  username: string;
  role: string;
  /** Only when the user was created now; never logged. */
  password?: string;
  created: boolean;
}

export function generatePassword(): string {
  return randomBytes(24).toString('base64url');
}

async function ensureUser(es: ElasticsearchClient, username: string, role: string, privileges: PrivilegeSet, fullName: string): Promise<CreatedUser> {
  await es.putRole(role, { cluster: privileges.cluster, indices: privileges.indices });
  if (await es.userExists(username)) {
    // Re-assert the role; the password is left alone.
    await es.putUser(username, { roles: [role], full_name: fullName });
    return { username, role, created: false };
  }
  const password = generatePassword();
  await es.putUser(username, { password, roles: [role], full_name: fullName });
  return { username, role, password, created: true };
}

export async function createUsers(es: ElasticsearchClient, config: EsConfig, ilm: boolean): Promise<CreatedUser[]> {
  return [
    await ensureUser(es, PROXY_USER, PROXY_ROLE, proxyPrivileges(config, ilm), 'DreamFactory Insights proxy'),
    await ensureUser(es, READER_USER, READER_ROLE, readerPrivileges(config), 'DreamFactory Insights read-only'),
  ];
}
