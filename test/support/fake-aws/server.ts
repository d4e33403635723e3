// A protocol-level fake of the AWS JSON services ionflow calls (CodeDeploy and
// Step Functions speak awsJson1_1 / awsJson1_0: POST / with X-Amz-Target).
// The real SDK and the AWS CLI talk to it over HTTP on 127.0.0.1. It records
// every call and can inject faults (throttling, 500s, AccessDenied, …).
// Handlers live beside it, one file per area, and share `FakeAwsState`.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  service: string;
  action: string;
  input: Record<string, unknown>;
  at: number;
}

/** An AWS error a handler throws: becomes `{"__type": code, "message": …}` with `status`. */
export class AwsFault extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export interface FaultRule {
  /** `Service.Action` or `*.Action` or `Service.*`. */
  match: string;
  /** The AWS error to answer with; without one (a delay rule) the call is answered as usual. */
  code?: string;
  /** Hold the answer this long first (a slow or silent endpoint). */
  delayMs?: number;
  message?: string;
  status?: number;
  /** How many calls fail; default every call. */
  times?: number;
}

export type Handler<S> = (input: Record<string, unknown>, state: S, call: RecordedCall) => unknown | Promise<unknown>;

/** Answers a request without X-Amz-Target (query and REST protocols); records it with `record`. */
export type OtherProtocols<S> = (
  req: IncomingMessage,
  res: ServerResponse,
  raw: string,
  state: S,
  record: (call: RecordedCall) => void,
  faultFor: (service: string, action: string) => FaultRule | undefined,
) => void;

export interface FakeAwsServer<S> {
  url: string;
  state: S;
  calls: RecordedCall[];
  /** Calls of one action (e.g. 'RegisterApplicationRevision'), in order. */
  callsOf(action: string): RecordedCall[];
  fault(rule: FaultRule): void;
  clearFaults(): void;
  close(): Promise<void>;
}

// Target prefixes as the SDKs send them.
export const SERVICES = {
  CodeDeploy_20141006: 'codedeploy',
  AWSStepFunctions: 'sfn',
} as const;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: unknown, errorType?: string) {
  const text = JSON.stringify(body ?? {});
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': `req-${Date.now()}`,
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  res.end(text);
}

export async function startFakeAws<S>(state: S, handlers: Record<string, Handler<S>>, other?: OtherProtocols<S>): Promise<FakeAwsServer<S>> {
  const calls: RecordedCall[] = [];
  let faults: (FaultRule & { left: number })[] = [];
  const faultFor = (service: string, action: string) => {
    const rule = faults.find((f) => f.left > 0 && [`${service}.${action}`, `*.${action}`, `${service}.*`, '*.*'].includes(f.match));
    if (rule) rule.left -= 1;
    return rule;
  };

  const server: Server = createServer(async (req, res) => {
    try {
      const target = String(req.headers['x-amz-target'] ?? '');
      const [prefix = '', action = ''] = target.split('.');
      const service = (SERVICES as Record<string, string>)[prefix] ?? prefix;
      const raw = await readBody(req);
      if (!target && other) {
        other(req, res, raw, state, (call) => calls.push(call), faultFor);
        return;
      }
      const input = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      const call: RecordedCall = { service, action, input, at: Date.now() };
      calls.push(call);

      const rule = faults.find((f) => f.left > 0 && [`${service}.${action}`, `*.${action}`, `${service}.*`, '*.*'].includes(f.match));
      if (rule) {
        rule.left -= 1;
        if (rule.delayMs) await new Promise((resolve) => setTimeout(resolve, rule.delayMs).unref());
        if (res.destroyed) return;
        if (rule.code) {
          send(res, rule.status ?? 400, { __type: rule.code, message: rule.message ?? rule.code }, rule.code);
          return;
        }
      }
      const handler = handlers[`${service}.${action}`];
      if (!handler) {
        send(res, 400, { __type: 'UnknownOperationException', message: `fake AWS has no ${service}.${action}` });
        return;
      }
      const output = await handler(input, state, call);
      send(res, 200, output ?? {});
    } catch (err) {
      if (err instanceof AwsFault) send(res, err.status, { __type: err.code, message: err.message }, err.code);
      else send(res, 500, { __type: 'InternalFailure', message: String(err) }, 'InternalFailure');
    }
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    calls,
    callsOf: (action) => calls.filter((c) => c.action === action),
    fault: (rule) => faults.push({ ...rule, left: rule.times ?? Number.POSITIVE_INFINITY }),
    clearFaults: () => {
      faults = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
