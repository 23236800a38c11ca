/**
 * Retention where the cluster has no ILM: the proxy itself deletes daily indices (`<prefix>YYYY.MM.dd` of the event
 * and the limit-history prefixes, nothing else)
 * whose day is `days` or more days before today (UTC), i.e. it keeps today and the `days - 1` days before, the same
 * cut ILM's `min_age` makes from the date in the name.
 */
import type { RetentionMode, RetentionRun } from '@shared/status-api';
import type { ElasticsearchClient } from '../clients/elasticsearch';
import type { Config } from '../config';
import type { Logger } from '../logger';

const DAY_MS = 86_400_000;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The day of a daily index name, or undefined for any other name (including impossible dates like 2024.02.31). */
export function dailyIndexDay(name: string, prefix: string): Date | undefined {
  const match = new RegExp(`^${escapeRegExp(prefix)}(\\d{4})\\.(\\d{2})\\.(\\d{2})$`).exec(name);
  if (!match) {
    return undefined;
  }
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date : undefined;
}

export function expiredDailyIndices(names: string[], prefix: string, days: number, now: Date): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return names
    .filter((name) => {
      const day = dailyIndexDay(name, prefix);
      return day !== undefined && day.getTime() + days * DAY_MS <= today;
    })
    .sort();
}

/** Which retention the cluster gets: `auto` picks ILM where the cluster has it. */
export async function resolveRetentionMode(mode: Config['retention']['mode'], es: Pick<ElasticsearchClient, 'hasIlm'>): Promise<RetentionMode> {
  if (mode !== 'auto') {
    return mode;
  }
  return (await es.hasIlm()) ? 'ilm' : 'proxy';
}

export interface RetentionDeps {
  config: Pick<Config, 'retention' | 'elasticsearch'>;
  es: Pick<ElasticsearchClient, 'hasIlm' | 'listIndices' | 'deleteIndices'>;
  logger: Logger;
}

/** Deletes expired daily indices every `retention.checkIntervalMs` while the resolved mode is `proxy`. */
export class RetentionScheduler {
  private timer?: NodeJS.Timeout;
  private running?: Promise<RetentionRun | undefined>;
  lastRun?: RetentionRun;

  constructor(
    private readonly deps: RetentionDeps,
    private readonly now: () => Date = () => new Date()
  ) {}

  start(): void {
    if (this.timer || this.deps.config.retention.mode === 'off' || this.deps.config.retention.mode === 'ilm') {
      return;
    }
    void this.runOnce();
    this.timer = setInterval(() => void this.runOnce(), this.deps.config.retention.checkIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One pass; overlapping calls share the pass in flight. Undefined when retention is not the proxy's job. */
  runOnce(): Promise<RetentionRun | undefined> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(): Promise<RetentionRun | undefined> {
    const { config, es, logger } = this.deps;
    const at = this.now();
    try {
      if ((await resolveRetentionMode(config.retention.mode, es)) !== 'proxy') {
        return undefined;
      }
      const expired: string[] = [];
      // Events and the limit history keep the same number of days.
      for (const prefix of [config.elasticsearch.indexPrefix, config.elasticsearch.limitIndexPrefix]) {
        const names = (await es.listIndices(`${prefix}*`)).map((i) => i.index);
        expired.push(...expiredDailyIndices(names, prefix, config.retention.days, at));
      }
      await es.deleteIndices(expired);
      if (expired.length > 0) {
        logger.info({ deleted: expired, days: config.retention.days }, 'retention: deleted expired daily indices');
      }
      this.lastRun = { at: at.toISOString(), deleted: expired };
    } catch (err) {
      logger.warn({ err }, 'retention: pass failed; will retry at the next interval');
      this.lastRun = { at: at.toISOString(), deleted: [], error: (err as Error).message };
    }
    return this.lastRun;
  }
}
