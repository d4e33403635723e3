// The SigV4 payload hash of a large body is computed off the main thread and
// sent as x-amz-content-sha256: it must be the SHA-256 of the bytes sent.
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { expect, it } from 'vitest';
import { hashPayloadsOffThread } from '../../../src/backends/aws/payload-hash.js';

it('signs a large body with the SHA-256 of the bytes it sends, and leaves small ones to the SDK', async () => {
  const seen: { header: string | undefined; sha256: string; authorization: string | undefined }[] = [];
  const server = createServer((req, res) => {
    const hash = createHash('sha256');
    req.on('data', (c: Buffer) => hash.update(c));
    req.on('end', () => {
      seen.push({ header: req.headers['x-amz-content-sha256'] as string | undefined, sha256: hash.digest('hex'), authorization: req.headers.authorization });
      res.writeHead(200, { ETag: '"x"' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const client = new S3Client({
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'k', secretAccessKey: 's' },
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    hashPayloadsOffThread(client);
    await client.send(new PutObjectCommand({ Bucket: 'b', Key: 'big', Body: randomBytes(1024 * 1024 + 3) }));
    await client.send(new PutObjectCommand({ Bucket: 'b', Key: 'small', Body: randomBytes(100) }));
    expect(seen).toHaveLength(2);
    for (const s of seen) {
      expect(s.header).toBe(s.sha256);
      expect(s.authorization).toMatch(/x-amz-content-sha256/);
    }
  } finally {
    server.close();
  }
});
