/**
 * `npm run simulator -- [--port 8080] [--users 25] [--admins 2] [--seed 1] [--api-key KEY]`: runs the DreamFactory
 * simulator on 127.0.0.1 until Ctrl-C and prints its URL and API key (point the proxy's DF_URL / DF_API_KEY at them).
 */
import { parseArgs } from 'node:util';
import { startSimulator } from './server';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8080' },
      users: { type: 'string', default: '25' },
      admins: { type: 'string', default: '2' },
      seed: { type: 'string', default: '1' },
      'api-key': { type: 'string' },
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
    users: number('users', values.users),
    admins: number('admins', values.admins),
    seed: number('seed', values.seed),
    apiKey: values['api-key'],
  });
  process.stdout.write(
    `DreamFactory simulator on ${sim.url}\n  DF_URL=${sim.url}\n  DF_API_KEY=${sim.apiKey}\n` +
      `  ${sim.store.nonAdmins().length} users, ${sim.store.adminUsers().length} admins, ${sim.store.limits.length} limits\n` +
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
