// The SigV4 payload hash of a large request body (each part of a push's
// multipart upload), computed on libuv's thread pool instead of the main
// thread. The SDK's signer hashes a buffer body with a synchronous SHA-256
// unless the request already carries `x-amz-content-sha256`, in which case
// it signs that value as it is (@smithy/signature-v4, getPayloadHash). So
// this middleware puts the same hex SHA-256 there first, computed by
// WebCrypto's digest, which runs as an async job on the pool.
//
// Integrity is unchanged: the request is signed with the SHA-256 of the very
// buffer that is sent, and S3 recomputes the SHA-256 of the body it receives
// and rejects the request (XAmzContentSHA256Mismatch) if they differ, so a
// part corrupted on the way is detected as before. Retries re-sign the same
// request, header included, and send the same buffer.
//
// On the 5,000-file / 100 MiB bench push the main thread is the busiest
// thread of the machine; this takes about 100 MiB of hashing off it.

import { webcrypto } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';

const HEADER = 'x-amz-content-sha256';
/** Below this, the trip to the thread pool costs more than the hash it saves. */
const OFF_THREAD_FROM = 256 * 1024;

interface Request {
  headers: Record<string, string>;
  body?: unknown;
}

function isRequest(value: unknown): value is Request {
  return typeof value === 'object' && value !== null && typeof (value as Request).headers === 'object';
}

function hasHashHeader(headers: Record<string, string>): boolean {
  return Object.keys(headers).some((name) => name.toLowerCase() === HEADER);
}

/** Add the middleware to an S3 client (build step: after serializing, before signing). */
export function hashPayloadsOffThread(client: S3Client): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      const { request } = args;
      if (isRequest(request) && request.body instanceof Uint8Array && request.body.byteLength >= OFF_THREAD_FROM && !hasHashHeader(request.headers)) {
        const digest = await webcrypto.subtle.digest('SHA-256', request.body);
        request.headers[HEADER] = Buffer.from(digest).toString('hex');
      }
      return next(args);
    },
    { step: 'build', name: 'ionflowPayloadHashOffThread', override: true },
  );
}
