/**
 * Pure: frames with raw user ids × the user directory → frames with a label, email and name per user. This is the
 * left join the seed guide did by hand in Grafana: every row is kept, ids DreamFactory no longer knows are said to be
 * unknown, and events without a user are counted as anonymous.
 */
import { ANONYMOUS_USER_LABEL, ANONYMOUS_USER_VALUE, FRAME_COLUMNS, OTHER_LABEL, type FrameField, type FrameJSON, type UserLabelMode } from '@shared/query';
import { displayName, type DirectorySnapshot } from '../dreamfactory/users';
import { ANONYMOUS_USER, LOG_USER_ID_LABEL, OTHER_USER } from './shaper';

export const SEED_ADMIN_LABEL = 'Admin User';

export interface UserCells {
  label: string | null;
  email: string | null;
  name: string | null;
  id: string | null;
}

/**
 * How one user cell reads. Without a directory (DreamFactory unreachable and nothing cached) users are shown by id;
 * the caller adds a notice saying why.
 */
export function describeUser(id: string | null, directory: DirectorySnapshot | undefined, mode: UserLabelMode = 'email'): UserCells {
  if (id === null) {
    return { label: null, email: null, name: null, id: null };
  }
  if (id === OTHER_USER) {
    return { label: OTHER_LABEL, email: null, name: null, id: null };
  }
  if (id === ANONYMOUS_USER) {
    // The id filters take for "events without a user", so the row's link to its events keeps to those.
    return { label: ANONYMOUS_USER_LABEL, email: null, name: null, id: ANONYMOUS_USER_VALUE };
  }
  if (!directory) {
    return { label: `user ${id}`, email: null, name: null, id };
  }
  const user = directory.users.get(id);
  if (!user) {
    return { label: `unknown user ${id}`, email: null, name: null, id };
  }
  const label = mode === 'seed' && user.isAdmin ? SEED_ADMIN_LABEL : (user.email ?? displayName(user) ?? `user ${id}`);
  return { label, email: user.email, name: displayName(user), id };
}

export function enrichFrames(frames: FrameJSON[], directory: DirectorySnapshot | undefined, mode: UserLabelMode = 'email'): FrameJSON[] {
  return frames.map((frame) => ({ ...frame, fields: frame.fields.flatMap((field) => enrichField(field, directory, mode)) }));
}

function enrichField(field: FrameField, directory: DirectorySnapshot | undefined, mode: UserLabelMode): FrameField[] {
  if (field.name === FRAME_COLUMNS.userId) {
    const cells = field.values.map((v) => describeUser(v === null || v === undefined ? null : String(v), directory, mode));
    return [
      { name: FRAME_COLUMNS.user, type: 'string', values: cells.map((c) => c.label) },
      { name: FRAME_COLUMNS.userEmail, type: 'string', values: cells.map((c) => c.email) },
      { name: FRAME_COLUMNS.name, type: 'string', values: cells.map((c) => c.name) },
      { name: FRAME_COLUMNS.userId, type: 'string', values: cells.map((c) => c.id) },
    ];
  }
  if (field.labels && FRAME_COLUMNS.userId in field.labels) {
    const { [FRAME_COLUMNS.userId]: id, ...rest } = field.labels;
    const cells = describeUser(id, directory, mode);
    return [{ ...field, labels: { ...rest, [FRAME_COLUMNS.user]: cells.label ?? id }, config: { ...field.config, displayName: cells.label ?? id } }];
  }
  if (field.name === 'labels' && field.type === 'other') {
    return [{ ...field, values: field.values.map((labels) => enrichLogLabels(labels as Record<string, string>, directory, mode)) }];
  }
  return [field];
}

function enrichLogLabels(labels: Record<string, string>, directory: DirectorySnapshot | undefined, mode: UserLabelMode): Record<string, string> {
  const id = labels[LOG_USER_ID_LABEL];
  const cells = describeUser(id ?? ANONYMOUS_USER, directory, mode);
  // The event's own email (from its session) is the fallback when the directory does not know the id.
  return { user: cells.email ?? labels.email ?? cells.label ?? ANONYMOUS_USER_LABEL, ...labels };
}
