/** A small HTTP client for the simulator's own tests: DreamFactory's headers, raw text and parsed JSON back. */
import type { Simulator } from './server';

export interface SimResponse {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export interface CallOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** The API key to send; the simulator's by default, none with null. */
  key?: string | null;
  /** A session token to send as `Authorization: Bearer`. */
  token?: string;
}

export function simClient(sim: () => Simulator) {
  return async function call(method: string, path: string, options: CallOptions = {}): Promise<SimResponse> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.key !== null) {
      headers['x-dreamfactory-api-key'] = options.key ?? sim().apiKey;
    }
    if (options.token) {
      headers.authorization = `Bearer ${options.token}`;
    }
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
    }
    const response = await fetch(`${sim().url}/api/v2/${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: text ? JSON.parse(text) : undefined };
  };
}

/** DreamFactory's error envelope, for exact comparisons. */
export const envelope = (status: number, code: number, message: string, context: unknown = null) => ({
  error: { code, context, message, status_code: status },
});
