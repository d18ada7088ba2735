import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/**
 * A local stand-in of the read APIs export-history calls (moto implements none of ListActionExecutions and
 * DescribeAlarmHistory): it answers the SDK's JSON protocol with the recorded pages of test/fixtures/backtest/api,
 * following their NextToken, and records every request.
 */
const recorded = (file: string): unknown =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/backtest/api', file), 'utf8'));

export type StandIn = {
  endpoint: string;
  /** `signedWith`: the SigV4 credential scope, `<access key>/<date>/<region>/<service>/aws4_request`. */
  requests: { operation: string; body: Record<string, unknown>; signedWith: string }[];
  close: () => Promise<void>;
};

type Page = Record<string, unknown>;
/** `…-page-3` is the third page; no token, the first. */
const pageOf = (pages: Page[], token: unknown): Page =>
  pages[typeof token === 'string' ? Number(/page-(\d+)$/.exec(token)?.[1] ?? 0) - 1 : 0] ?? {};

export async function startStandIn(options: { deny?: string } = {}): Promise<StandIn> {
  const requests: StandIn['requests'] = [];
  const server: Server = createServer((req, res) => {
    void readBody(req).then((text) => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.split('.').at(-1) ?? '';
      const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
      const signedWith = /Credential=([^,]+)/.exec(String(req.headers.authorization))?.[1] ?? '';
      requests.push({ operation, body, signedWith: signedWith.replace(/\/\d{8}\//, '/') });
      const json = target.startsWith('CodePipeline') ? '1.1' : '1.0';
      const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': `application/x-amz-json-${json}`, ...headers });
        res.end(JSON.stringify(payload));
      };
      if (operation === options.deny) {
        send(400, {
          __type: 'AccessDeniedException',
          message: `User: arn:aws:iam::111122223333:user/ana is not authorized to perform: ${operation}`,
        });
        return;
      }
      send(200, answer(operation, body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function answer(operation: string, body: Record<string, unknown>): unknown {
  switch (operation) {
    case 'GetPipeline':
      return recorded('get-pipeline.json');
    case 'ListPipelineExecutions':
      return pageOf(recorded('list-pipeline-executions.json') as Page[], body.nextToken);
    case 'ListActionExecutions': {
      const byExecution = recorded('list-action-executions.json') as Record<string, Page[]>;
      const id = (body.filter as { pipelineExecutionId?: string } | undefined)?.pipelineExecutionId ?? '';
      return pageOf(byExecution[id] ?? [{ actionExecutionDetails: [] }], body.nextToken);
    }
    case 'DescribeAlarms':
      return pageOf(recorded('describe-alarms.json') as Page[], body.NextToken);
    case 'DescribeAlarmHistory': {
      const byAlarm = recorded('describe-alarm-history.json') as Record<string, Page[]>;
      return pageOf(byAlarm[String(body.AlarmName)] ?? [{ AlarmHistoryItems: [] }], body.NextToken);
    }
    default:
      return {};
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => resolve(text));
  });
}
