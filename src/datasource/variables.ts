/** Query-variable support: lists users, services, methods or endpoints seen in the dashboard's time range. */
import { CustomVariableSupport, DataQueryRequest, DataQueryResponse, FieldType, createDataFrame } from '@grafana/data';
import { from, Observable } from 'rxjs';
import { VariableQueryEditor } from './components/VariableQueryEditor';
import type { DataSource } from './datasource';
import type { InsightsVariableQuery } from './types';

export class InsightsVariableSupport extends CustomVariableSupport<DataSource, InsightsVariableQuery> {
  editor = VariableQueryEditor;

  constructor(private readonly datasource: DataSource) {
    super();
  }

  query(request: DataQueryRequest<InsightsVariableQuery>): Observable<DataQueryResponse> {
    return from(this.load(request));
  }

  private async load(request: DataQueryRequest<InsightsVariableQuery>): Promise<DataQueryResponse> {
    const [query] = request.targets;
    const values = await this.datasource.metricFindQuery(query, {
      range: request.range,
      scopedVars: request.scopedVars,
    });
    // Grafana reads a variable's options from fields named `text` and `value`.
    const frame = createDataFrame({
      refId: query?.refId,
      fields: [
        { name: 'text', type: FieldType.string, values: values.map((value) => value.text) },
        { name: 'value', type: FieldType.string, values: values.map((value) => String(value.value ?? value.text)) },
      ],
    });
    return { data: [frame] };
  }
}
