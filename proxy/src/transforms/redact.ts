/**
 * What the transform asks about each node of its single walk over an event, so secrets never reach an Elasticsearch
 * document. The rules live in proxy/src/redaction (keys by meaning, values by shape, string bodies parsed); README.md
 * "Secrets" documents them. DreamFactory redacts only its direct-POST path (docs/dreamfactory.md#context-and-secrets):
 * events arrive raw.
 */
export interface Redactor {
  /** Whether the value under this key is a secret (case-insensitive). */
  isSecretKey(key: string): boolean;
  /** What replaces the value under a secret key. */
  redactSecretValue(value: unknown): unknown;
  /** A string value with its secret parts replaced (`key` is the object key it sits under, if any). */
  redactString(value: string, key?: string): string;
  /** A key with its secret-shaped parts replaced: a token can be a key (`?eyJ…` parses to a parameter named after it). */
  redactKey(key: string): string;
}
