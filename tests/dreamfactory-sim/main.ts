/**
 * `npm run simulator -- [--port 8080] [--host 127.0.0.1] [--users 25] [--admins 2] [--seed 1] [--api-key KEY]
 * [--jwt-secret SECRET] [--max-records N] [--password PASSWORD]`: runs the DreamFactory simulator until Ctrl-C and
 * prints its URL and API key (point the proxy's DF_URL / DF_API_KEY at them). In a container pass `--host 0.0.0.0`.
 * The JWT secret defaults to the traffic sender's (`npm run traffic`) so its session tokens verify here.
 * `--max-records` (or DreamFactory's own `DB_MAX_RECORDS_RETURNED` / `DF_DB_MAX_RECORDS_RETURNED` in the
 * environment) caps every list page, 100000 by default as DreamFactory ships it.
 */
import { parseArgs } from 'node:util';
import { startSimulator } from './server';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8080' },
      host: { type: 'string', default: '127.0.0.1' },
      users: { type: 'string', default: '25' },
      admins: { type: 'string', default: '2' },
      seed: { type: 'string', default: '1' },
      'api-key': { type: 'string' },
      'jwt-secret': { type: 'string', default: 'insights-simulator-jwt-secret' },
      'max-records': {
        type: 'string',
        default: process.env.DB_MAX_RECORDS_RETURNED ?? process.env.DF_DB_MAX_RECORDS_RETURNED ?? '100000',
      },
      password: { type: 'string', default: 'dreamfactory' },
    },
  });
  const number = (name: string, value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) {
      throw new Error(`--${name} must be a non-negative integer, got "${value}"`);
    }
    return n;
  };
  const sim = await startSimulator({
    port: number('port', values.port),
    host: values.host,
    users: number('users', values.users),
    admins: number('admins', values.admins),
    seed: number('seed', values.seed),
    apiKey: values['api-key'],
    jwtSecret: values['jwt-secret'],
    maxRecordsReturned: number('max-records', values['max-records']),
    password: values.password,
  });
  process.stdout.write(
    `DreamFactory simulator on ${sim.url}\n  DF_URL=${sim.url}\n  DF_API_KEY=${sim.apiKey}\n` +
      `  ${sim.store.nonAdmins().length} users, ${sim.store.adminUsers().length} admins, ${sim.store.limits.length} limits, ` +
      `pages of at most ${sim.maxRecordsReturned} records, password "${values.password}"\n` +
      '  Simulated traffic (not part of DreamFactory): POST /_sim/calls {"calls":[{"service":"db","userId":3,"verb":"GET"}]}\n'
  );
  const stop = () => void sim.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
});
