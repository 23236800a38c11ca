/**
 * Why one query failed, as the sentence its panel shows: the user's own input, DreamFactory, Elasticsearch, or a fault
 * of ours. Each upstream's errors are read by its own explainer; this only picks the one that applies.
 */
import { DreamFactoryError, explainDreamFactoryError, type DreamFactoryClient } from '../clients/dreamfactory';
import type { EsConfig } from '../clients/elasticsearch';
import { explainSearchFailure, type SearchFailure } from '../clients/elasticsearch-errors';
import { QueryInputError } from './builder';

/** What the explainers need to name: the Elasticsearch URLs, and the settings holding DreamFactory's credentials. */
export interface QueryUpstreams {
  es: Pick<EsConfig, 'urls'>;
  df: Pick<DreamFactoryClient, 'credentialSettings'>;
}

export function explainQueryFailure(err: unknown, { es, df }: QueryUpstreams): SearchFailure {
  if (err instanceof QueryInputError) {
    return { message: err.message, expected: true };
  }
  if (err instanceof DreamFactoryError) {
    return { message: explainDreamFactoryError(err, df.credentialSettings), expected: true };
  }
  return explainSearchFailure(err, es) ?? { message: `Internal error: ${(err as Error)?.message ?? String(err)}`, expected: false };
}
