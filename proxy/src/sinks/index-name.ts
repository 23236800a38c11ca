const ISO_UTC_DAY = /^(\d{4})-(\d{2})-(\d{2})T[^+]*Z$/;

/**
 * The daily index an event belongs to: `<prefix>YYYY.MM.dd` of its `@timestamp` in UTC, as Logstash's
 * `%{+YYYY.MM.dd}` does. A missing or unparsable timestamp falls back to `now` rather than losing the event.
 */
export function dailyIndexName(prefix: string, timestamp: unknown, now: Date): string {
  if (typeof timestamp === 'string') {
    const utc = ISO_UTC_DAY.exec(timestamp);
    if (utc) {
      return `${prefix}${utc[1]}.${utc[2]}.${utc[3]}`;
    }
  }
  const parsed = typeof timestamp === 'string' || typeof timestamp === 'number' ? new Date(timestamp) : now;
  const day = Number.isNaN(parsed.getTime()) ? now : parsed;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${prefix}${day.getUTCFullYear()}.${pad(day.getUTCMonth() + 1)}.${pad(day.getUTCDate())}`;
}
