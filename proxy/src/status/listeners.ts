/** Where each ingest source listens, and what DreamFactory's Logstash service must be set to to reach it. */
import type { Config } from '../config';
import type { Source, SourceName } from '../pipeline-types';
import type { ListenerStatus } from '@shared/status-api';

/** DreamFactory sends GELF over UDP only, and plain JSON over udp/tcp/http (docs/dreamfactory.md#logging). */
export function listenerStatuses(config: Config, bound: Source[] = [], httpPort: number = config.server.port): ListenerStatus[] {
  const { ingest } = config;
  const port = (name: SourceName, configured: number) => bound.find((s) => s.name === name)?.address().port ?? configured;
  return [
    { source: 'gelf_udp', enabled: ingest.gelfUdp.enabled, transport: 'udp', port: port('gelf_udp', ingest.gelfUdp.port), dreamFactoryProtocol: 'gelf' },
    { source: 'gelf_tcp', enabled: ingest.gelfTcp.enabled, transport: 'tcp', port: port('gelf_tcp', ingest.gelfTcp.port) },
    { source: 'gelf_http', enabled: ingest.gelfHttpEnabled, transport: 'http', port: httpPort, path: '/gelf' },
    { source: 'json_udp', enabled: ingest.jsonUdp.enabled, transport: 'udp', port: port('json_udp', ingest.jsonUdp.port), dreamFactoryProtocol: 'udp' },
    { source: 'json_tcp', enabled: ingest.jsonTcp.enabled, transport: 'tcp', port: port('json_tcp', ingest.jsonTcp.port), dreamFactoryProtocol: 'tcp' },
    { source: 'json_http', enabled: ingest.jsonHttp.enabled, transport: 'http', port: port('json_http', ingest.jsonHttp.port), dreamFactoryProtocol: 'http' },
  ];
}

/** "protocol gelf, port 12201" style advice for the DreamFactory Logstash service. */
export function dreamFactorySettings(listeners: ListenerStatus[]): string {
  const usable = listeners.filter((l) => l.enabled && l.dreamFactoryProtocol);
  if (usable.length === 0) {
    return 'no listener DreamFactory can send to is enabled (enable GELF UDP or a JSON listener)';
  }
  return usable.map((l) => `protocol "${l.dreamFactoryProtocol}" → port ${l.port}`).join(', or ');
}
