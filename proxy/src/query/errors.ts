/**
 * Turns a failure into the one sentence a dashboard user sees in the panel: which upstream, where, and what it said.
 * Never includes credentials: Elasticsearch URLs are reduced to their origin.
 */
import { isEngineConnectionError, isEngineResponseError, isEngineTimeout } from '../clients/search-engine';
import { DreamFactoryError } from '../clients/dreamfactory';
import { QueryInputError } from './builder';

export function esOrigins(urls: string[]): string {
  return urls
    .map((url) => {
      try {
        return new URL(url).origin;
      } catch {
        return '(invalid URL)';
      }
    })
    .join(', ');
}

interface EsErrorBody {
  error?: { type?: string; reason?: string; root_cause?: Array<{ type?: string; reason?: string }>; caused_by?: { reason?: string } };
}

/** The message, and whether it is the user's to fix (true) or an upstream/internal failure (false). */
export function describeError(err: unknown, esUrls: string[]): { message: string; expected: boolean } {
  if (err instanceof QueryInputError) {
    return { message: err.message, expected: true };
  }
  if (err instanceof DreamFactoryError) {
    return { message: err.unreachable ? err.message : `DreamFactory answered HTTP ${err.status}: ${err.message}`, expected: true };
  }
  if (isEngineConnectionError(err) || isEngineTimeout(err)) {
    return { message: `Elasticsearch unreachable at ${esOrigins(esUrls)}: ${err.message}`, expected: true };
  }
  if (isEngineResponseError(err)) {
    const body = err.body as EsErrorBody | undefined;
    const type = body?.error?.root_cause?.[0]?.type ?? body?.error?.type;
    const reason = body?.error?.caused_by?.reason ?? body?.error?.root_cause?.[0]?.reason ?? body?.error?.reason ?? err.message;
    if (type === 'search_context_missing_exception') {
      return { message: 'The logs cursor expired (no page was read for 5 minutes); reload the first page.', expected: true };
    }
    if (err.statusCode === 401 || err.statusCode === 403) {
      return { message: `Elasticsearch at ${esOrigins(esUrls)} refused the proxy's credentials (HTTP ${err.statusCode}): ${reason}`, expected: true };
    }
    if (err.statusCode === 400) {
      return { message: `Elasticsearch rejected the query: ${reason}`, expected: true };
    }
    return { message: `Elasticsearch answered HTTP ${err.statusCode}: ${reason}`, expected: false };
  }
  return { message: `Internal error: ${(err as Error)?.message ?? String(err)}`, expected: false };
}
