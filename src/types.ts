import type { WriteRole } from './api/proxyClient';

/** The app's jsonData (no secrets). */
export interface AppSettings {
  datasourceUid?: string;
  limitWriteRole?: WriteRole;
}
