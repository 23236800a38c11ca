/** Where each ingest source listens, and what DreamFactory's Logstash service must be set to to reach it. */
import type { Config } from '../config';
import type { Source, SourceName } from '../pipeline-types';
import type { BoundAddress } from '../sources/bound-address';
import type { ListenerStatus } from '@shared/status-api';

/**
 * Every source with the address it is bound to: a running listener's own (so port 0 in the config shows the port the
 * kernel assigned), GELF HTTP's is the proxy's HTTP server's. A disabled source shows its configured address.
 * DreamFactory sends GELF over UDP only, and plain JSON over udp/tcp/http (docs/dreamfactory.md#logging).
 */
export function listenerStatuses(config: Config, bound: Source[] = [], http: BoundAddress = config.server): ListenerStatus[] {
  const { ingest } = config;
  const address = (name: SourceName, configured: BoundAddress): BoundAddress => {
    const running = bound.find((s) => s.name === name)?.address();
    return running ? { host: running.host, port: running.port } : { host: configured.host, port: configured.port };
  };
  return [
    { source: 'gelf_udp', enabled: ingest.gelfUdp.enabled, transport: 'udp', ...address('gelf_udp', ingest.gelfUdp), dreamFactoryProtocol: 'gelf' },
    { source: 'gelf_tcp', enabled: ingest.gelfTcp.enabled, transport: 'tcp', ...address('gelf_tcp', ingest.gelfTcp) },
    { source: 'gelf_http', enabled: ingest.gelfHttpEnabled, transport: 'http', host: http.host, port: http.port, path: '/gelf' },
    { source: 'json_udp', enabled: ingest.jsonUdp.enabled, transport: 'udp', ...address('json_udp', ingest.jsonUdp), dreamFactoryProtocol: 'udp' },
    { source: 'json_tcp', enabled: ingest.jsonTcp.enabled, transport: 'tcp', ...address('json_tcp', ingest.jsonTcp), dreamFactoryProtocol: 'tcp' },
    { source: 'json_http', enabled: ingest.jsonHttp.enabled, transport: 'http', ...address('json_http', ingest.jsonHttp), dreamFactoryProtocol: 'http' },
  ];
}
