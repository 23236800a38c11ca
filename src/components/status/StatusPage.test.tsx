/**
 * The Status page against real proxy answers captured by tests/integration/doctor-pipeline.test.ts
 * (UPDATE_STATUS_FIXTURES=1): a healthy pipeline, Elasticsearch down, the doctor's and setup's results.
 */
import React from 'react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route } from 'react-router-dom';
import StatusPage from '../../pages/StatusPage';
import { labels, selectors } from '../../selectors';
import {
  DOCTOR_STAGES,
  formatStageMs,
  type DoctorResult,
  type LimitHistoryStatus,
  type OperationRun,
  type RunKind,
  type SetupResult,
  type SplunkStatus,
  type StatusResponse,
} from '@shared/status-api';
import { allowSlowRendering, relay, RelayFailure, renderApp } from '../limits/testing/relayMock';
import healthy from './__fixtures__/status.json';
import esDown from './__fixtures__/status-es-down.json';
import doctorOk from './__fixtures__/doctor.json';
import doctorEsDown from './__fixtures__/doctor-es-down.json';
import setupOk from './__fixtures__/setup.json';

jest.mock('@grafana/runtime', () => require('../limits/testing/relayMock').runtimeMock());
allowSlowRendering();

const sel = selectors.status;
const STATUS_PATH = '/a/dreamfactory-insights-app/status';

/** The proxy's operations API: POST starts a run (202), GET runs/:id reports it done with `answers`' result. */
function serve(status: StatusResponse, answers: { doctor?: DoctorResult; setup?: SetupResult; failure?: string } = {}) {
  const runOf = (kind: RunKind, state: OperationRun['state']): OperationRun => ({
    id: `${kind}-run`,
    kind,
    state,
    startedAt: '2026-11-23T10:00:00.000Z',
    ...(state === 'running' ? {} : { finishedAt: '2026-11-23T10:00:04.000Z' }),
    ...(state === 'done' ? { result: answers[kind] } : {}),
    ...(state === 'failed' ? { error: answers.failure } : {}),
  });
  relay.reset((call) => {
    if (call.method === 'GET' && call.path === 'status') {
      return status;
    }
    if (call.method === 'POST' && (call.path === 'doctor' || call.path === 'setup')) {
      return runOf(call.path, 'running');
    }
    const polled = /^runs\/(doctor|setup)-run$/.exec(call.path);
    if (call.method === 'GET' && polled) {
      return runOf(polled[1] as RunKind, answers.failure ? 'failed' : 'done');
    }
    throw new RelayFailure(404, { error: `no route ${call.path}` });
  });
}

/** The proxy's Splunk HEC section, as of 2026-11-23T12:00:00Z. */
const splunkStatus = (overrides: Partial<SplunkStatus>): SplunkStatus => ({
  url: 'https://splunk.example:8088/services/collector/event',
  delivered: 100,
  deadLettered: 0,
  deadLetterFile: './data/splunk-dead-letter.jsonl',
  retries: 0,
  unreadable: 0,
  pending: 0,
  lastDeliveredAt: '2026-11-23T12:00:00.000Z',
  ...overrides,
});

/** The healthy status with Splunk HEC on, generated at `generatedAt`. */
const serveWithSplunk = (splunk: SplunkStatus, generatedAt = '2026-11-23T12:00:00.000Z') =>
  serve({ ...(healthy as StatusResponse), generatedAt, splunk });

const renderPage = () => renderApp(STATUS_PATH, <Route path={STATUS_PATH} element={<StatusPage />} />);

describe('Status page', () => {
  it('shows a healthy pipeline: components, sources with rates, index, template and retention', async () => {
    serve(healthy as StatusResponse);
    renderPage();
    const esTile = await screen.findByTestId(sel.tile('elasticsearch'));
    expect(esTile).toHaveTextContent('Up');
    expect(esTile).toHaveTextContent(`Elasticsearch ${healthy.elasticsearch.version}`);
    expect(screen.getByTestId(sel.tile('dreamfactory'))).toHaveTextContent('Not configured');
    expect(screen.getByTestId(sel.tile('ingest'))).toHaveTextContent('Receiving');

    const sources = screen.getByTestId(sel.sources);
    for (const source of healthy.ingest.sources) {
      expect(within(sources).getByTestId(sel.source(source.source))).toBeInTheDocument();
    }
    const gelfUdp = healthy.ingest.sources.find((s) => s.source === 'gelf_udp')!;
    expect(screen.getByTestId(sel.sourceListener('gelf_udp'))).toHaveTextContent(`UDP ${gelfUdp.host}:${gelfUdp.port}`);
    expect(screen.getByTestId(sel.sourceListener('gelf_http'))).toHaveTextContent(/^HTTP 127\.0\.0\.1:\d+\/gelf$/);
    expect(screen.getByTestId(sel.sourceActivity('gelf_udp'))).toHaveTextContent(labels.status.activity.receiving);

    const es = screen.getByTestId(sel.elasticsearch);
    expect(es).toHaveTextContent(`${healthy.elasticsearch.template.name}: installed, version 1`);
    expect(es).toHaveTextContent('Enforced by the proxy (no ILM on this cluster), 30 days');
    expect(es).toHaveTextContent(
      `${healthy.elasticsearch.todayIndex.name}: ${healthy.elasticsearch.todayIndex.docsCount} events`
    );
    expect(screen.queryByTestId(sel.noEvents)).not.toBeInTheDocument();
    // The proxy's last setup run is listed step by step.
    expect(screen.getByTestId(sel.setupStep('template'))).toHaveTextContent('created');
  });

  it('shows the product, and a cluster that lost a node', async () => {
    const degraded = {
      ...healthy,
      elasticsearch: {
        ...healthy.elasticsearch,
        distribution: 'opensearch',
        version: '2.19.6',
        clusterHealth: 'yellow',
        nodes: { count: 2, dataNodes: 2, unassignedShards: 4 },
      },
    };
    serve(degraded as StatusResponse);
    renderPage();
    const es = await screen.findByTestId(sel.elasticsearch);
    expect(es).toHaveTextContent('OpenSearch 2.19.6');
    expect(es).toHaveTextContent('2 (2 data); 4 shard copies unassigned (a node is missing or recovering)');
  });

  it.each([
    ['api-key', 'the proxy works with an API key.', true],
    ['admin-session', 'the proxy works in an admin session.', false],
  ] as const)(
    'says the proxy uses its %s, warning only when DreamFactory counts its calls',
    async (auth, text, noted) => {
      const dreamfactory = { configured: true, reachable: true, keyValid: true, auth, version: '7.1.0' };
      serve({ ...healthy, dreamfactory } as StatusResponse);
      renderPage();
      const df = await screen.findByTestId(sel.dreamfactory);
      expect(df).toHaveTextContent(`Reachable, DreamFactory 7.1.0; ${text}`);
      expect(Boolean(within(df).queryByTestId(sel.dreamfactoryApiKeyNote))).toBe(noted);
    }
  );

  it("says DreamFactory refused the proxy's credentials, with DreamFactory's reason", async () => {
    const error =
      "DreamFactory refused the proxy's credentials (DF_API_KEY, HTTP 400): No session token (JWT) provided.";
    serve({
      ...healthy,
      dreamfactory: { configured: true, reachable: true, keyValid: false, auth: 'api-key', error },
    } as StatusResponse);
    renderPage();
    const df = await screen.findByTestId(sel.dreamfactory);
    expect(df).toHaveTextContent("DreamFactory refused the proxy's credentials");
    expect(df).toHaveTextContent(error);
  });

  it("shows Elasticsearch down with the proxy's explanation, and the rest of the status", async () => {
    serve(esDown as StatusResponse);
    renderPage();
    expect(await screen.findByTestId(sel.tile('elasticsearch'))).toHaveTextContent('Down');
    const es = screen.getByTestId(sel.elasticsearch);
    expect(es).toHaveTextContent('Elasticsearch is down or unreachable');
    expect(es).toHaveTextContent(esDown.elasticsearch.error);
    expect(es).toHaveTextContent('Check ES_URL');
    expect(screen.getByTestId(sel.sourceActivity('json_tcp'))).toHaveTextContent(labels.status.activity.disabled);
    expect(screen.getByTestId(sel.sourceListener('json_tcp'))).toHaveTextContent('TCP (not listening)');
  });

  it('says the proxy cannot be reached when the status call fails', async () => {
    relay.reset(() => {
      throw new RelayFailure(502, { message: 'Bad Gateway' });
    });
    renderPage();
    const error = await screen.findByTestId(sel.error);
    expect(error).toHaveTextContent(labels.status.proxyUnreachable);
    expect(error).toHaveTextContent('cannot be reached through Grafana');
  });

  it('says the proxy token is wrong when the proxy refuses it', async () => {
    relay.reset(() => {
      throw new RelayFailure(401, { error: 'Missing or wrong proxy token (header x-insights-token).' });
    });
    renderPage();
    expect(await screen.findByTestId(sel.error)).toHaveTextContent(labels.proxyTokenRejected);
  });

  it("explains an empty pipeline with the DreamFactory settings for this proxy's ports", async () => {
    const base = healthy as StatusResponse;
    const quiet: StatusResponse = {
      ...base,
      ingest: {
        ...base.ingest,
        lastEventAt: undefined,
        sources: base.ingest.sources.map((s) => ({ ...s, lastEventAt: undefined, lastReceivedAt: undefined, activity: 'never_received', rate1m: 0, rate5m: 0, rate15m: 0 })),
      },
    };
    serve(quiet);
    renderPage();
    const hint = await screen.findByTestId(sel.noEvents);
    const port = (source: string) => quiet.ingest.sources.find((s) => s.source === source)!.port;
    expect(hint).toHaveTextContent(`GELF (UDP) → port ${port('gelf_udp')}`);
    expect(hint).toHaveTextContent(`TCP (JSON) → port ${port('json_tcp')}`);
    expect(screen.getByTestId(sel.tile('ingest'))).toHaveTextContent(labels.status.activity.never_received);
    expect(screen.getByTestId(sel.sourceActivity('json_tcp'))).toHaveTextContent(labels.status.activity.never_received);
  });

  it('shows sources idle since their last message, and no "Receiving" badge when nothing came in the last minute', async () => {
    const base = healthy as StatusResponse;
    const idle: StatusResponse = {
      ...base,
      ingest: {
        ...base.ingest,
        sources: base.ingest.sources.map((s) =>
          s.source === 'json_udp'
            ? { ...s, activity: 'idle', lastReceivedAt: '2026-11-23T11:58:07.000Z', rate1m: 0 }
            : { ...s, activity: 'never_received', lastReceivedAt: undefined, rate1m: 0 }
        ),
      },
    };
    serve(idle);
    renderPage();
    const tile = await screen.findByTestId(sel.tile('ingest'));
    // Jest runs in UTC (jest.config.js), the time zone the page shows times in here.
    expect(tile).toHaveTextContent('0/s over the last minute');
    expect(tile).toHaveTextContent(labels.status.activity.idle('2026-11-23 11:58:07'));
    expect(tile).not.toHaveTextContent(labels.status.activity.receiving);
    expect(screen.getByTestId(sel.sourceActivity('json_udp'))).toHaveTextContent(labels.status.activity.idle('2026-11-23 11:58:07'));
    expect(screen.getByTestId(sel.sourceActivity('gelf_udp'))).toHaveTextContent(labels.status.activity.never_received);
  });

  it('says how many datagrams the kernel dropped in the last minute, with the fix', async () => {
    const base = healthy as StatusResponse;
    const dropping: StatusResponse = {
      ...base,
      ingest: {
        ...base.ingest,
        sources: base.ingest.sources.map((s) =>
          s.source === 'gelf_udp' ? { ...s, kernelDrops: 4321, kernelDropsLastMinute: 1200 } : s
        ),
        drops: [{ source: 'gelf_udp', reason: 'kernel', count: 4321 }],
      },
    };
    serve(dropping);
    renderPage();
    const warning = await screen.findByTestId(sel.kernelDrops('gelf_udp'));
    expect(warning).toHaveTextContent(
      'Lost in the kernel: 1,200 in the last minute (4,321 since start) — raise net.core.rmem_max / add receivers.'
    );
    expect(screen.queryByTestId(sel.kernelDrops('json_udp'))).not.toBeInTheDocument();
    expect(screen.getByTestId(sel.drops)).toHaveTextContent('kernel');
  });

  it('shows no Splunk panel while Splunk HEC is off', async () => {
    serve(healthy as StatusResponse);
    renderPage();
    await screen.findByTestId(sel.elasticsearch);
    expect(screen.queryByTestId(sel.splunk)).not.toBeInTheDocument();
  });

  it('shows the Splunk sink, and warns where the events Splunk refused went', async () => {
    const splunk = splunkStatus({
      delivered: 12480,
      deadLettered: 3,
      deadLetterFile: '/var/lib/insights/splunk-dead-letter.jsonl',
      retries: 7,
      pending: 250,
      // An hour before the status: too old to warn about on its own.
      lastError: 'Splunk refused 3 event(s): Invalid data format (HEC code 6, HTTP 400)',
      lastErrorAt: '2026-11-23T11:00:00.000Z',
    });
    serveWithSplunk(splunk);
    renderPage();
    const panel = await screen.findByTestId(sel.splunk);
    expect(panel).toHaveTextContent(labels.status.splunk.title);
    expect(panel).toHaveTextContent('12,480 events');
    expect(panel).toHaveTextContent('250 events in the queue for Splunk');
    expect(panel).toHaveTextContent('7 batches sent again');
    const warning = within(panel).getByTestId(sel.splunkWarning);
    expect(warning).toHaveTextContent(labels.status.splunk.deadLettered(3));
    expect(warning).toHaveTextContent(splunk.deadLetterFile);
    expect(warning).not.toHaveTextContent(splunk.lastError!);
  });

  it('warns while Splunk HEC has failed recently, and not once the error is old and nothing was refused', async () => {
    const splunk = splunkStatus({
      retries: 4,
      pending: 40,
      lastError: 'Splunk HEC at https://splunk.example:8088/services/collector/event unreachable: connect ECONNREFUSED',
      lastErrorAt: '2026-11-23T11:59:30.000Z',
    });
    serveWithSplunk(splunk);
    const { unmount } = renderPage();
    const warning = await screen.findByTestId(sel.splunkWarning);
    expect(warning).toHaveTextContent(labels.status.splunk.recentError);
    expect(warning).toHaveTextContent(`30 s ago: ${splunk.lastError}`);
    unmount();

    serveWithSplunk(splunk, '2026-11-23T12:30:00.000Z');
    renderPage();
    expect(await screen.findByTestId(sel.splunk)).toHaveTextContent(splunk.lastError!);
    expect(screen.queryByTestId(sel.splunkWarning)).not.toBeInTheDocument();
  });

  it('lets an Admin run the doctor and apply setup, showing their results', async () => {
    serve(healthy as StatusResponse, { doctor: doctorOk as DoctorResult, setup: setupOk as SetupResult });
    renderPage();
    fireEvent.click(await screen.findByTestId(sel.runDoctor));
    const doctor = await screen.findByTestId(sel.doctorResult);
    expect(doctor).toHaveTextContent('every enabled source works end to end');
    expect(within(doctor).getByTestId(sel.doctorSource('json_http'))).toHaveTextContent('OK');
    // Each stage's own time, as the proxy measured it.
    const jsonHttp = (doctorOk as DoctorResult).sources.find((s) => s.source === 'json_http')!;
    for (const stage of DOCTOR_STAGES) {
      expect(doctor).toHaveTextContent(formatStageMs(jsonHttp.stageMs[stage]));
    }
    expect(relay.writes().map((c) => c.path)).toEqual(['doctor']);

    fireEvent.click(screen.getByTestId(sel.applySetup));
    await waitFor(() => expect(relay.writes().map((c) => c.path)).toEqual(['doctor', 'setup']));
    expect(relay.writes().every((c) => !c.editorRoute)).toBe(true);
  });

  it('starts the doctor as a run and shows how the run failed', async () => {
    serve(healthy as StatusResponse, { failure: 'Elasticsearch at http://es:9200 did not answer within 30000 ms' });
    renderPage();
    fireEvent.click(await screen.findByTestId(sel.runDoctor));
    expect(
      await screen.findByText(
        'The doctor failed in the proxy: Elasticsearch at http://es:9200 did not answer within 30000 ms'
      )
    ).toBeInTheDocument();
    expect(relay.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'GET status',
      'POST doctor',
      'GET runs/doctor-run',
    ]);
  });

  it('shows where the doctor stopped and why', async () => {
    serve(esDown as StatusResponse, { doctor: doctorEsDown as DoctorResult });
    renderPage();
    fireEvent.click(await screen.findByTestId(sel.runDoctor));
    const row = await screen.findByTestId(sel.doctorSource('gelf_udp'));
    expect(row).toHaveTextContent('Failed');
    const doctor = screen.getByTestId(sel.doctorResult);
    expect(doctor).toHaveTextContent('indexed: Elasticsearch is unreachable');
  });

  it('does not let Viewers or Editors run the doctor or setup, server admins included', async () => {
    serve(healthy as StatusResponse);
    relay.user.orgRole = 'Editor';
    relay.user.isGrafanaAdmin = true;
    renderPage();
    expect(await screen.findByTestId(sel.runDoctor)).toBeDisabled();
    expect(screen.getByTestId(sel.applySetup)).toBeDisabled();
    expect(screen.getByTestId(sel.adminOnly)).toBeInTheDocument();
    fireEvent.click(screen.getByTestId(sel.runDoctor));
    expect(relay.writes()).toEqual([]);
  });

  it('shows the limit sampler: freshness, cost, and what it last failed on', async () => {
    const generatedAt = Date.parse(healthy.generatedAt);
    const limitHistory: LimitHistoryStatus = {
      enabled: true,
      intervalSeconds: 30,
      indexPrefix: 'dreamfactory-limits-',
      lastSampleAt: new Date(generatedAt - 90_000).toISOString(),
      lastError: 'DreamFactory is unreachable at http://df:80: timed out after 15000 ms',
      counters: 1200,
      documents: 180,
      tripsSinceStart: 3,
      pendingDocuments: 0,
      droppedDocuments: 0,
      dreamFactoryRequestsPerMinute: 4.4,
    };
    serve({ ...(healthy as StatusResponse), limitHistory });
    renderPage();
    const panel = await screen.findByTestId(sel.limitHistory);
    expect(panel).toHaveTextContent(
      'every 30 s into dreamfactory-limits-* · last sample 2 min ago · 1200 counters, 180 documents'
    );
    expect(panel).toHaveTextContent('3 trips since the proxy started · 4.4 DreamFactory requests a minute');
    expect(panel).toHaveTextContent('The last sample failedDreamFactory is unreachable at http://df:80');
  });

  it('says when the limit sampler is off, and why', async () => {
    const off: LimitHistoryStatus = {
      enabled: false,
      disabledReason: 'LIMIT_SAMPLE_SECONDS is 0.',
      intervalSeconds: 0,
      indexPrefix: 'dreamfactory-limits-',
      tripsSinceStart: 0,
      pendingDocuments: 0,
      droppedDocuments: 0,
      dreamFactoryRequestsPerMinute: 0,
    };
    serve({ ...(healthy as StatusResponse), limitHistory: off });
    renderPage();
    expect(await screen.findByTestId(sel.limitHistory)).toHaveTextContent(
      'The limit sampler is offLIMIT_SAMPLE_SECONDS is 0.'
    );
  });
});
