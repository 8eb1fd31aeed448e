// CloudTrail Lake's query API (StartQuery, DescribeQuery, GetQueryResults) answered in the test proxy, from the
// CloudTrail API reference: moto 5.2 has no Lake queries. A statement that counts (`count(*)`) gets the match
// rows, any other the event rows; results come in pages of `pageSize` rows chained by NextToken.
import type { FaultProxy } from '../../demo/proxy.js';

export interface LakeStubOptions {
  matchRows: Record<string, string>[][];
  eventRows?: Record<string, string>[][];
  pageSize?: number;
  /** DescribeQuery's answer; FINISHED unless told otherwise. */
  status?: 'FINISHED' | 'FAILED' | 'RUNNING' | 'TIMED_OUT';
  errorMessage?: string;
}

export interface LakeStub {
  statements: string[];
  remove(): void;
}

export function stubLake(proxy: FaultProxy, o: LakeStubOptions): LakeStub {
  const statements: string[] = [];
  const rowsOf = (queryId: string) => (queryId === 'q-match' ? o.matchRows : (o.eventRows ?? []));
  const pageSize = o.pageSize ?? 1000;
  const field = (body: Buffer, name: string): string => {
    const value = (JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>)[name];
    return typeof value === 'string' ? value : '';
  };
  const removers = [
    proxy.addStub({
      service: 'cloudtrail',
      method: 'POST',
      path: '/',
      action: 'StartQuery',
      respond: (_req, body) => {
        const statement = field(body, 'QueryStatement');
        statements.push(statement);
        return { body: { QueryId: /count\(\*\)/i.test(statement) ? 'q-match' : 'q-events' } };
      },
    }),
    proxy.addStub({
      service: 'cloudtrail',
      method: 'POST',
      path: '/',
      action: 'DescribeQuery',
      respond: (_req, body) => ({
        body: { QueryId: field(body, 'QueryId'), QueryStatus: o.status ?? 'FINISHED', ...(o.errorMessage ? { ErrorMessage: o.errorMessage } : {}) },
      }),
    }),
    proxy.addStub({
      service: 'cloudtrail',
      method: 'POST',
      path: '/',
      action: 'GetQueryResults',
      respond: (_req, body) => {
        const rows = rowsOf(field(body, 'QueryId'));
        const from = Number(field(body, 'NextToken') || 0);
        const next = from + pageSize;
        return {
          body: {
            QueryStatus: 'FINISHED',
            QueryStatistics: { ResultsCount: rows.length, TotalResultsCount: rows.length, BytesScanned: 0 },
            QueryResultRows: rows.slice(from, next),
            ...(next < rows.length ? { NextToken: String(next) } : {}),
          },
        };
      },
    }),
  ];
  return { statements, remove: () => removers.forEach((r) => r()) };
}
