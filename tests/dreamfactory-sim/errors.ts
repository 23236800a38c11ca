/**
 * DreamFactory's error envelope: `{"error":{"code","context","message","status_code"}}`, the message passed through
 * PHP's `htmlentities($message, ENT_COMPAT)` (so `"&<>` and accented letters arrive as entities, `'` does not).
 * A batch failure carries, in `context`, the index of each failed record and every record's outcome in order.
 */
import { htmlentitiesCompat } from './php';

export class DfError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly code: number = statusCode,
    readonly context: unknown = null
  ) {
    super(message);
  }

  /** The error as it appears inside a response (and inside a batch error's context). */
  toJSON() {
    return {
      code: this.code,
      context: this.context,
      message: htmlentitiesCompat(this.message),
      status_code: this.statusCode,
    };
  }

  toEnvelope() {
    return { error: this.toJSON() };
  }
}

export const BATCH_ERROR_CODE = 1000;

/**
 * A BatchException: HTTP 400, code 1000, context `{error: [failed indexes], resource: [each outcome]}` where a failed
 * record's outcome is its own error.
 */
export function batchError(message: string, outcomes: unknown[]): DfError {
  const failed = outcomes.flatMap((outcome, index) => (outcome instanceof DfError ? [index] : []));
  return new DfError(400, message, BATCH_ERROR_CODE, {
    error: failed,
    resource: outcomes.map((outcome) => (outcome instanceof DfError ? outcome.toJSON() : outcome)),
  });
}

export const notFound = (id: string | number) => new DfError(404, `Record with identifier '${id}' not found.`);

/** The hint DreamFactory appends to "No record(s) detected in request." while it always wraps resources (default). */
export const NO_RECORDS =
  'No record(s) detected in request. Please make sure record(s) are wrapped in a \'resource\' tag. Example: {"resource":[{"record":1},{"record":2}]}';
