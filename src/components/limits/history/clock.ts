import { dateTimeFormat } from '@grafana/data';

/** A time of day ("14:20"), with the date when it is not today ("Nov 21, 14:20"). */
export function formatClock(ms: number, now: number = Date.now()): string {
  const sameDay = new Date(ms).toDateString() === new Date(now).toDateString();
  return dateTimeFormat(ms, { format: sameDay ? 'HH:mm' : 'MMM D, HH:mm' });
}
