/** Who may change limits from the app: Admins only, or Editors too. */
export type WriteRole = 'Admin' | 'Editor';

/** The app's jsonData (no secrets). */
export interface AppSettings {
  datasourceUid?: string;
  limitWriteRole?: WriteRole;
}
