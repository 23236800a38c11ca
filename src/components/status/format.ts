/** Formatting and derived facts for the Status page. Pure. */
import { dateTimeFormat } from '@grafana/data';
import { labels } from '../../selectors';
import { SPLUNK_RECENT_ERROR_MS, type ListenerActivity, type ListenerStatus, type SourceStatus, type SplunkStatus, type StatusResponse } from '@shared/status-api';

export const NO_EVENTS_WINDOW_MS = 15 * 60_000;

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

export function formatRate(perSecond: number): string {
  return perSecond === 0 ? '0/s' : perSecond < 0.1 ? `${(perSecond * 60).toFixed(1)}/min` : `${perSecond.toFixed(1)}/s`;
}

export function formatAge(iso: string | undefined, now: Date): string {
  if (!iso) {
    return 'never';
  }
  const seconds = Math.max(0, Math.round((now.getTime() - Date.parse(iso)) / 1000));
  if (seconds < 60) {
    return `${seconds} s ago`;
  }
  if (seconds < 3600) {
    return `${Math.round(seconds / 60)} min ago`;
  }
  return seconds < 86400 ? `${Math.round(seconds / 3600)} h ago` : `${Math.round(seconds / 86400)} d ago`;
}

export function formatDuration(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return d > 0 ? `${d} d ${h} h` : h > 0 ? `${h} h ${m} min` : `${m} min`;
}

/** True when no source has received anything within the window (measured against the proxy's own clock). */
export function noRecentEvents(status: StatusResponse): boolean {
  const last = status.ingest.lastEventAt ? Date.parse(status.ingest.lastEventAt) : undefined;
  return last === undefined || Date.parse(status.generatedAt) - last > NO_EVENTS_WINDOW_MS;
}

/** The Logstash-service settings DreamFactory can use to reach this proxy, e.g. `GELF (UDP) → port 12201`. */
export function dreamFactoryTargets(listeners: ListenerStatus[]): string[] {
  const names: Record<string, string> = { gelf: 'GELF (UDP)', udp: 'UDP (JSON)', tcp: 'TCP (JSON)', http: 'HTTP (JSON)' };
  return listeners.filter((l) => l.enabled && l.dreamFactoryProtocol).map((l) => `${names[l.dreamFactoryProtocol!]} → port ${l.port}`);
}

export interface ActivityBadge {
  text: string;
  color: 'green' | 'orange' | 'blue';
}

/** A source's state as a badge: only `receiving` is green; the idle time is the last message's, in the user's time zone. */
export function activityBadge(activity: ListenerActivity, lastReceivedAt: string | undefined, quiet: ActivityBadge['color'] = 'blue'): ActivityBadge {
  switch (activity) {
    case 'receiving':
      return { text: labels.status.activity.receiving, color: 'green' };
    case 'idle':
      return { text: labels.status.activity.idle(lastReceivedAt ? dateTimeFormat(lastReceivedAt, { format: 'YYYY-MM-DD HH:mm:ss' }) : '?'), color: quiet };
    case 'never_received':
      return { text: labels.status.activity.never_received, color: quiet };
    case 'disabled':
      return { text: labels.status.activity.disabled, color: 'blue' };
  }
}

/** The whole ingest path's state: receiving if any source is, else idle since the latest message, else never received. */
export function ingestBadge(sources: SourceStatus[]): ActivityBadge {
  const enabled = sources.filter((s) => s.enabled);
  if (enabled.some((s) => s.activity === 'receiving')) {
    return activityBadge('receiving', undefined);
  }
  const last = enabled.map((s) => s.lastReceivedAt).filter((at): at is string => at !== undefined).sort().pop();
  return activityBadge(last ? 'idle' : 'never_received', last, 'orange');
}

/** The Splunk error to warn about: the last one, while it is within SPLUNK_RECENT_ERROR_MS of the status. */
export function recentSplunkError(splunk: SplunkStatus, now: Date): string | undefined {
  const at = splunk.lastErrorAt ? Date.parse(splunk.lastErrorAt) : undefined;
  return at !== undefined && now.getTime() - at <= SPLUNK_RECENT_ERROR_MS ? splunk.lastError : undefined;
}
