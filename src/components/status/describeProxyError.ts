import { ProxyError } from '../../api/proxyClient';
import { isProxyTokenRejected } from '../../grafanaProxy';

/** One line for a failed call to the proxy: its own message, or why it could not be reached. */
export function describeProxyError(err: unknown): string {
  if (err instanceof ProxyError) {
    if (isProxyTokenRejected(err.status, err.body)) {
      return err.message;
    }
    return err.status === 0 || err.status === 502 || err.status === 504
      ? `The Insights proxy cannot be reached through Grafana: ${err.message}`
      : `${err.message} (HTTP ${err.status})`;
  }
  return err instanceof Error ? err.message : String(err);
}
