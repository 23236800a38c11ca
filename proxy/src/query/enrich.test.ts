import { ANONYMOUS_USER_LABEL, ANONYMOUS_USER_VALUE, type FrameJSON } from '@shared/query';
import { toDirectoryUser, type DirectorySnapshot } from '../dreamfactory/users';
import { describeUser, enrichFrames } from './enrich';
import { ANONYMOUS_USER, OTHER_USER } from './shaper';

const directory: DirectorySnapshot = {
  fetchedAt: 0,
  users: new Map([
    ['1', toDirectoryUser({ id: 1, email: 'root@example.com', first_name: 'Ada', last_name: 'Root' }, true)],
    ['7', toDirectoryUser({ id: 7, email: 'bob@example.com', name: 'Bob' }, false)],
  ]),
};

describe('user enrichment', () => {
  it('labels known, admin, deleted, anonymous and Other cells', () => {
    expect(describeUser('7', directory)).toEqual({ label: 'bob@example.com', email: 'bob@example.com', name: 'Bob', id: '7' });
    expect(describeUser('1', directory)).toEqual({ label: 'root@example.com', email: 'root@example.com', name: 'Ada Root', id: '1' });
    expect(describeUser('1', directory, 'seed').label).toBe('Admin User');
    expect(describeUser('404', directory)).toEqual({ label: 'unknown user 404', email: null, name: null, id: '404' });
    expect(describeUser(ANONYMOUS_USER, directory).label).toBe(ANONYMOUS_USER_LABEL);
    expect(describeUser(OTHER_USER, directory).label).toBe('Other');
    expect(describeUser('7', undefined).label).toBe('user 7');
  });

  it('joins left: keeps every row and duplicate ids, types stay strings, misses are null', () => {
    const frame: FrameJSON = {
      refId: 'A',
      fields: [
        { name: 'User ID', type: 'string', values: ['7', '7', '404', ANONYMOUS_USER, null] },
        { name: 'Calls', type: 'number', values: [5, 4, 3, 2, 1] },
      ],
    };
    const [enriched] = enrichFrames([frame], directory);
    expect(enriched.fields.map((f) => [f.name, f.values])).toEqual([
      ['User', ['bob@example.com', 'bob@example.com', 'unknown user 404', ANONYMOUS_USER_LABEL, null]],
      ['User Email', ['bob@example.com', 'bob@example.com', null, null, null]],
      ['Name', ['Bob', 'Bob', null, null, null]],
      ['User ID', ['7', '7', '404', ANONYMOUS_USER_VALUE, null]],
      ['Calls', [5, 4, 3, 2, 1]],
    ]);
  });

  it('renames series by user and adds the user to log labels', () => {
    const [series] = enrichFrames(
      [{ refId: 'B', fields: [{ name: 'Calls', type: 'number', values: [1], labels: { 'User ID': '7' }, config: { displayName: '7' } }] }],
      directory
    );
    expect(series.fields[0]).toMatchObject({ labels: { User: 'bob@example.com' }, config: { displayName: 'bob@example.com' } });

    const [logs] = enrichFrames([{ refId: 'C', fields: [{ name: 'labels', type: 'other', values: [{ user_id: '7' }, { method: 'GET' }, { user_id: '9', email: 'gone@example.com' }] }] }], directory);
    expect(logs.fields[0].values).toEqual([
      { user: 'bob@example.com', user_id: '7' },
      { user: ANONYMOUS_USER_LABEL, method: 'GET' },
      { user: 'gone@example.com', user_id: '9', email: 'gone@example.com' },
    ]);
  });
});
