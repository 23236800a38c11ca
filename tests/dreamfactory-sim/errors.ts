/**
 * DreamFactory's error envelope (contract §3.3): {"error":{"code","context","message","status_code"}}. df-core runs the
 * message through PHP's htmlentities() (ENT_QUOTES since PHP 8.1), so quotes and ampersands arrive as entities.
 */
export class DfError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly code: number = statusCode,
    readonly context: unknown = null
  ) {
    super(message);
  }

  toEnvelope() {
    return {
      error: {
        code: this.code,
        context: this.context,
        message: htmlEntities(this.message),
        status_code: this.statusCode,
      },
    };
  }
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '"': '&quot;', "'": '&#039;', '<': '&lt;', '>': '&gt;' };

/** The ASCII part of PHP's htmlentities (named entities for non-ASCII letters are not reproduced). */
export function htmlEntities(text: string): string {
  return text.replace(/[&"'<>]/g, (c) => ENTITIES[c]);
}

export const notFound = (id: string | number) => new DfError(404, `Record with identifier '${id}' not found.`);

/** ResourcesWrapper::getWrapperMsg(), appended by the system resources when a body has no records. */
export const NO_RECORDS =
  'No record(s) detected in request. Please make sure record(s) are wrapped in a \'resource\' tag. Example: {"resource":[{"record":1},{"record":2}]}';
