// A real S3 protocol endpoint for tests and benches: s3rver in-process on
// 127.0.0.1, port 0, in a temp folder, with one bucket. s3rver accepts only
// the access key S3RVER / secret S3RVER. `startFaultProxy` puts a tiny HTTP
// proxy in front of it that can answer chosen requests with an S3 error
// (500s to test retries, AccessDenied, ExpiredToken …), or add headers to
// s3rver's answer (x-amz-version-id: s3rver has no bucket versioning).

import { type ClientRequest, createServer, type IncomingMessage, request as httpRequest } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverCtor = new (options: Record<string, unknown>) => S3rverInstance;

export const S3RVER_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'S3RVER',
  AWS_SECRET_ACCESS_KEY: 'S3RVER',
  AWS_REGION: 'us-east-1',
} as const;

export interface S3rverHandle {
  url: string;
  bucket: string;
  /** s3rver's storage folder. */
  directory: string;
  /** Variables for a spawned CLI (credentials + region); add endpoints as needed. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startS3rver(options: { bucket?: string } = {}): Promise<S3rverHandle> {
  const S3rver = createRequire(import.meta.url)('s3rver') as S3rverCtor;
  const directory = mkdtempSync(join(tmpdir(), 'ionflow-s3rver-'));
  const bucket = options.bucket ?? 'ionflow-test';
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  return {
    url: `http://127.0.0.1:${port}`,
    bucket,
    directory,
    env: { ...S3RVER_CREDENTIALS },
    async stop() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

export interface ProxiedRequest {
  method: string;
  url: string;
}

/**
 * What to answer instead of forwarding; undefined = forward; `hang` never
 * answers (until close); `addHeaders` forwards and adds them to the answer;
 * `until` forwards once the promise settles (a slow request).
 */
export type FaultDecision =
  | { status: number; code: string; message?: string }
  | { hang: true }
  | { addHeaders: Record<string, string> }
  | { until: Promise<unknown> }
  | undefined;

export interface FaultProxy {
  url: string;
  requests: ProxiedRequest[];
  /** Requests answered with a fault. */
  faulted: ProxiedRequest[];
  setRule(rule: (req: ProxiedRequest, index: number) => FaultDecision): void;
  close(): Promise<void>;
}

/** A proxy in front of `target` (e.g. s3rver) that injects S3 XML errors. Headers pass unchanged, so signatures still match. */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const { hostname, port } = new URL(target);
  const requests: ProxiedRequest[] = [];
  const faulted: ProxiedRequest[] = [];
  let rule: (req: ProxiedRequest, index: number) => FaultDecision = () => undefined;
  // Requests still being forwarded: a client killed mid-upload leaves one
  // waiting for its body, and s3rver would not close until it timed out.
  const forwarding = new Set<ClientRequest>();
  const server = createServer((req: IncomingMessage, res) => {
    const seen = { method: req.method ?? 'GET', url: req.url ?? '/' };
    requests.push(seen);
    const decision = rule(seen, requests.length - 1);
    const added = decision && 'addHeaders' in decision ? decision.addHeaders : {};
    const held = decision && 'until' in decision ? decision.until : undefined;
    const fault = decision && ('status' in decision || 'hang' in decision) ? decision : undefined;
    if (fault) {
      faulted.push(seen);
      req.resume();
      if ('hang' in fault) return;
      req.on('end', () => {
        const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${fault.code}</Code><Message>${fault.message ?? fault.code}</Message></Error>`;
        res.writeHead(fault.status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      });
      return;
    }
    const forward = () => {
      const upstream = httpRequest({ hostname, port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, { ...answer.headers, ...added });
        answer.pipe(res);
      });
      forwarding.add(upstream);
      upstream.on('close', () => forwarding.delete(upstream));
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    };
    if (held) {
      req.pause();
      held.then(forward, forward);
    } else forward();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    faulted,
    setRule: (next) => {
      rule = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const upstream of forwarding) upstream.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
