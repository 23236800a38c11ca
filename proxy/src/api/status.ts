/**
 * Operations API: GET /api/status (Viewer), POST /api/setup and POST /api/doctor (Admin only: Grafana's `api` write
 * routes send `X-Insights-Write-Grant: admin`; the Editor routes' `editor` grant is refused whatever limitWriteRole is).
 * Setup and the doctor start a run and answer 202 at once; GET /api/runs/:id reports it (see ../status/operation-runs).
 */
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { WRITE_GRANT_HEADER, WRITE_GRANTS } from '@shared/headers';
import type { Operations } from '../status/operations';

const setupBody = z.object({ dryRun: z.boolean().default(false) }).strict().prefault({});
const doctorBody = z.object({ timeoutMs: z.number().int().min(1000).max(60_000).optional() }).strict().prefault({});

export function statusApi(operations: Pick<Operations, 'status' | 'startSetup' | 'startDoctor' | 'run'>): FastifyPluginAsync {
  return async (app) => {
    app.addHook('onRequest', async (request, reply) => {
      if (request.method === 'GET' || request.method === 'HEAD') {
        return;
      }
      // No grant: a direct call with the proxy token (the CLI). Through Grafana, only the Admin routes qualify.
      const grant = request.headers[WRITE_GRANT_HEADER];
      if (grant !== undefined && grant !== WRITE_GRANTS.admin) {
        return reply.code(403).send({ error: 'Running setup or the doctor needs the Grafana Admin role.' });
      }
    });

    app.get('/status', async () => operations.status());

    app.post('/setup', async (request, reply) => {
      const body = setupBody.safeParse(request.body ?? {});
      if (!body.success) {
        return reply.code(400).send({ error: `Invalid setup request: ${body.error.issues.map((i) => i.message).join('; ')}` });
      }
      return reply.code(202).send(operations.startSetup({ dryRun: body.data.dryRun }));
    });

    app.post('/doctor', async (request, reply) => {
      const body = doctorBody.safeParse(request.body ?? {});
      if (!body.success) {
        return reply.code(400).send({ error: `Invalid doctor request: ${body.error.issues.map((i) => i.message).join('; ')}` });
      }
      return reply.code(202).send(operations.startDoctor({ timeoutMs: body.data.timeoutMs }));
    });

    app.get<{ Params: { id: string } }>('/runs/:id', async (request, reply) => {
      const { id } = request.params;
      return operations.run(id) ?? reply.code(404).send({ error: `No setup or doctor run ${id} here (the proxy keeps recent runs in memory).` });
    });
  };
}
