/**
 * `--create-users` request bodies. The test Elasticsearch cannot store native users (its minimal distribution lacks
 * the analysis module the security index needs), so what is sent is checked here.
 */
import type { ElasticsearchClient } from '../clients/elasticsearch';
import { loadConfig } from '../config';
import { createUsers } from './users';

function securityApi(existing: string[]) {
  const calls: Array<{ kind: string; name: string; body: Record<string, unknown> }> = [];
  const es = {
    putRole: async (name: string, body: Record<string, unknown>) => void calls.push({ kind: 'role', name, body }),
    userExists: async (name: string) => existing.includes(name),
    putUser: async (name: string, body: Record<string, unknown>) => void calls.push({ kind: 'user', name, body }),
  };
  return { es: es as unknown as ElasticsearchClient, calls };
}

describe('createUsers', () => {
  const config = loadConfig({}, {}).elasticsearch;

  it('grants the proxy write access to its event and limit-history indices and the dead-letter index only, and the reader read access to both', async () => {
    const { es, calls } = securityApi([]);
    const users = await createUsers(es, config, false);
    const roles = Object.fromEntries(calls.filter((c) => c.kind === 'role').map((c) => [c.name, c.body]));
    expect(roles.dreamfactory_insights_proxy).toEqual({
      cluster: ['monitor', 'manage_index_templates'],
      indices: [
        {
          names: ['logstash-dreamfactory-*', 'dreamfactory-limits-*', 'dreamfactory-insights-deadletter'],
          privileges: ['create_index', 'write', 'read', 'view_index_metadata', 'monitor', 'delete_index'],
        },
      ],
    });
    expect(roles.dreamfactory_insights_reader).toEqual({
      cluster: ['monitor'],
      indices: [{ names: ['logstash-dreamfactory-*', 'dreamfactory-limits-*'], privileges: ['read', 'view_index_metadata'] }],
    });
    expect(users.map((u) => [u.username, u.created, (u.password ?? '').length >= 24])).toEqual([
      ['dreamfactory_insights_proxy', true, true],
      ['dreamfactory_insights_reader', true, true],
    ]);
    expect(users[0].password).not.toBe(users[1].password);
  });

  it('leaves an existing user\'s password alone', async () => {
    const { es, calls } = securityApi(['dreamfactory_insights_proxy']);
    const [proxy] = await createUsers(es, config, true);
    expect(proxy).toEqual({ username: 'dreamfactory_insights_proxy', role: 'dreamfactory_insights_proxy', created: false });
    expect(calls.find((c) => c.kind === 'user' && c.name === 'dreamfactory_insights_proxy')?.body).not.toHaveProperty('password');
    expect(calls.find((c) => c.kind === 'role')?.body.cluster).toContain('manage_ilm');
  });
});
