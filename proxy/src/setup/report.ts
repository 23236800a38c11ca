/** Plain-text rendering of a setup run for the terminal. Pure. */
import type { SetupResult, StepOutcome } from '@shared/status-api';
import type { CreatedUser } from './users';

const MARK: Record<StepOutcome, string> = {
  ok: '✔',
  unchanged: '✔',
  created: '✚',
  updated: '✎',
  'would-create': '○',
  'would-update': '○',
  warning: '!',
  failed: '✖',
  skipped: '-',
};

export function formatSetupResult(result: SetupResult, users: CreatedUser[] = []): string {
  const lines = [`DreamFactory Insights: Elasticsearch setup${result.dryRun ? ' (dry run: nothing was changed)' : ''}`];
  for (const step of result.steps) {
    lines.push(`  ${MARK[step.outcome]} ${step.title}: ${step.outcome}. ${step.detail}`);
    if (step.hint) {
      lines.push(`      → ${step.hint}`);
    }
  }
  const fresh = users.filter((u) => u.password);
  if (fresh.length > 0) {
    lines.push('', 'New Elasticsearch users (passwords are shown only now; store them safely):');
    for (const user of fresh) {
      lines.push(`  ${user.username} / ${user.password}   (role ${user.role})`);
    }
    lines.push('  Configure the proxy with ES_USERNAME=dreamfactory_insights_proxy and its password in ES_PASSWORD.');
  }
  lines.push('', result.ok ? 'Setup complete.' : 'Setup did not complete: see the failed steps above.');
  return `${lines.join('\n')}\n`;
}
