import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { createAwsClients } from '../../../src/backends/aws/clients.js';
import { S3RevisionStore } from '../../../src/backends/aws/s3-store.js';
import type { PutRevisionInput } from '../../../src/backends/types.js';
import { IonflowError } from '../../../src/model/errors.js';
import { isComplete, isUploadPart, useAwsHarness } from '../../support/aws-harness.js';

const MiB = 1024 * 1024;
const SHA = 'a'.repeat(40);
/** The part of a RegisterApplicationRevision call these tests look at. */
type RegisterInput = { revision: { s3Location: Record<string, unknown> } };
const aws = useAwsHarness();

const direct = () =>
  new S3Client({ endpoint: aws.s3.url, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });

function store(bucket = aws.s3.bucket) {
  return new S3RevisionStore({
    bucket,
    prefix: 'datomic/apps/',
    clients: createAwsClients(aws.profile),
    partSize: 5 * MiB,
    queueSize: 2,
  });
}

function input(body: Buffer | Readable, extra: Partial<PutRevisionInput> = {}): PutRevisionInput {
  return {
    appName: 'shop',
    name: { rev: SHA },
    tree: 't'.repeat(40),
    entryPoints: null,
    fileCount: 3,
    body: Buffer.isBuffer(body) ? Readable.from([body]) : body,
    ...extra,
  };
}

async function objectBytes(key: string): Promise<Buffer> {
  const out = await direct().send(new GetObjectCommand({ Bucket: aws.s3.bucket, Key: key }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

async function exists(key: string): Promise<boolean> {
  return direct()
    .send(new HeadObjectCommand({ Bucket: aws.s3.bucket, Key: key }))
    .then(
      () => true,
      () => false,
    );
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('S3 revision store against s3rver and the fake CodeDeploy', () => {
  it('uploads the zip, writes metadata beside it, and registers it with the stored ETag', async () => {
    const body = randomBytes(300_000);
    const meta = await store().put(input(body, { name: { uname: 'my-try' } }));
    const key = 'datomic/apps/shop/my-try.zip';
    expect((await objectBytes(key)).equals(body)).toBe(true);
    expect(meta).toMatchObject({ name: 'my-try', uname: 'my-try', size: body.length, sha256: sha256(body), fileCount: 3 });
    const head = await direct().send(new HeadObjectCommand({ Bucket: aws.s3.bucket, Key: key }));
    const [call] = aws.fake.callsOf('RegisterApplicationRevision');
    expect(call?.input).toMatchObject({
      applicationName: 'shop',
      revision: {
        revisionType: 'S3',
        s3Location: { bucket: aws.s3.bucket, key, bundleType: 'zip', eTag: head.ETag!.replaceAll('"', '') },
      },
    });
    expect(await store().get('shop', 'my-try')).toEqual(meta);
    expect((await store().list('shop')).map((m) => m.name)).toContain('my-try');
    expect(await store().remoteDeployGroups('shop')).toEqual(['prod', 'staging']);
  });

  it('registers the object version a versioned bucket answers, for a single PUT and for a multipart upload', async () => {
    // s3rver has no versioning: the proxy adds the header S3 sends for a versioned bucket.
    const zipPut = (r: { method: string; url: string }) => r.method === 'PUT' && /\.zip(\?|$)/.test(r.url) && !isUploadPart(r);
    aws.proxy.setRule((req) =>
      zipPut(req) ? { addHeaders: { 'x-amz-version-id': 'v-single' } } : isComplete(req) ? { addHeaders: { 'x-amz-version-id': 'v-multi' } } : undefined,
    );
    const single = await store().put(input(randomBytes(100_000), { name: { uname: 'versioned-single' } }));
    const multi = await store().put(input(randomBytes(11 * MiB), { name: { uname: 'versioned-multi' } }));
    expect(aws.proxy.requests.some(isComplete)).toBe(true);
    expect([single.s3?.version, multi.s3?.version]).toEqual(['v-single', 'v-multi']);
    const registered = aws.fake.callsOf('RegisterApplicationRevision').map((c) => (c.input as RegisterInput).revision.s3Location);
    expect(registered).toEqual([
      expect.objectContaining({ key: 'datomic/apps/shop/versioned-single.zip', bundleType: 'zip', version: 'v-single' }),
      expect.objectContaining({ key: 'datomic/apps/shop/versioned-multi.zip', bundleType: 'zip', version: 'v-multi' }),
    ]);
    // The metadata keeps the version, so an up-to-date push registers the same one again.
    expect((await store().get('shop', 'versioned-multi'))?.s3?.version).toBe('v-multi');
    // Checking that the zip is still there asks for the key's current object, not the version
    // (which would need s3:GetObjectVersion).
    const before = aws.proxy.requests.length;
    expect(await store().holds(multi)).toBe(true);
    const heads = aws.proxy.requests.slice(before).filter((r) => r.method === 'HEAD');
    expect(heads.map((r) => r.url.includes('versionId'))).toEqual([false]);
  });

  it('a uname: deletes the old metadata before the new zip replaces the old one, and keeps it when the upload fails', async () => {
    const old = await store().put(input(randomBytes(100_000), { name: { uname: 'replaced' } }));
    const oldZip = await objectBytes('datomic/apps/shop/replaced.zip');
    // Parts that keep failing: the upload gives up before the body has ended, and the old revision stays whole.
    const before = aws.proxy.requests.length;
    aws.proxy.setRule((req) => (isUploadPart(req) ? { status: 500, code: 'InternalError' } : undefined));
    // Streamed in pieces, as git's archive comes (one 11 MiB piece would end the body at once).
    const pieces = (b: Buffer) => Readable.from(Array.from({ length: Math.ceil(b.length / 65536) }, (_, i) => b.subarray(i * 65536, (i + 1) * 65536)));
    await expect(store().put(input(pieces(randomBytes(11 * MiB)), { name: { uname: 'replaced' } }))).rejects.toThrow(/InternalError/);
    expect(aws.proxy.requests.slice(before).some((r) => r.method === 'DELETE' && r.url.includes('/replaced.json'))).toBe(false);
    expect(await store().get('shop', 'replaced')).toEqual(old);
    expect((await objectBytes('datomic/apps/shop/replaced.zip')).equals(oldZip)).toBe(true);

    // One part that keeps failing while the other uploader reads the body to its end: the
    // failure is known only after the SDK's retries, and the metadata must outlive it.
    const later = aws.proxy.requests.length;
    aws.proxy.setRule((req) =>
      isUploadPart(req) && new URL(req.url, 'http://x').searchParams.get('partNumber') === '1'
        ? { status: 500, code: 'InternalError', message: 'part 1 down' }
        : undefined,
    );
    await expect(store().put(input(pieces(randomBytes(11 * MiB)), { name: { uname: 'replaced' } }))).rejects.toThrow(/part 1 down/);
    expect(aws.proxy.requests.slice(later).filter((r) => isUploadPart(r) && !r.url.includes('partNumber=1'))).not.toEqual([]);
    expect(aws.proxy.requests.slice(later).some((r) => r.method === 'DELETE' && r.url.includes('/replaced.json'))).toBe(false);
    expect(await store().get('shop', 'replaced')).toEqual(old);

    // A slow delete: the last part and CompleteMultipartUpload wait for its answer.
    const seen: string[] = [];
    aws.proxy.setRule((req) => {
      if (req.method === 'DELETE' && req.url.includes('/replaced.json')) {
        seen.push('delete');
        return { until: new Promise((resolve) => setTimeout(resolve, 300)).then(() => seen.push('delete answered')) };
      }
      if (isUploadPart(req)) seen.push(`part ${new URL(req.url, 'http://x').searchParams.get('partNumber')}`);
      if (isComplete(req)) seen.push('complete');
      return undefined;
    });
    const body = randomBytes(11 * MiB);
    const meta = await store().put(input(pieces(body), { name: { uname: 'replaced' } }));
    expect(seen.slice(seen.indexOf('delete answered'))).toEqual(['delete answered', 'part 3', 'complete']);
    expect(sha256(await objectBytes('datomic/apps/shop/replaced.zip'))).toBe(sha256(body));
    expect(await store().get('shop', 'replaced')).toEqual(meta);
  });

  it('a commit: never deletes its metadata, so a failed forced push leaves the revision as it was', async () => {
    const rev = { rev: 'c'.repeat(40) };
    const before = aws.proxy.requests.length;
    const old = await store().put(input(randomBytes(100_000), { name: rev }));
    aws.proxy.setRule((req) => (req.method === 'PUT' && req.url.includes('.zip') ? { status: 500, code: 'InternalError' } : undefined));
    await expect(store().put(input(randomBytes(100_000), { name: rev }))).rejects.toThrow(/InternalError/);
    expect(await store().get('shop', rev.rev)).toEqual(old);
    aws.proxy.setRule(() => undefined);
    const again = await store().put(input(randomBytes(100_000), { name: rev }));
    expect(await store().get('shop', rev.rev)).toEqual(again);
    expect(aws.proxy.requests.slice(before).filter((r) => r.method === 'DELETE')).toEqual([]);
  });

  it('a failing delete of the old metadata fails the upload with its own error, and registers nothing', async () => {
    aws.proxy.setRule((req) =>
      req.method === 'DELETE' && req.url.includes('/denied.json') ? { status: 403, code: 'AccessDenied', message: 'no deleting' } : undefined,
    );
    const err = (await store()
      .put(input(randomBytes(11 * MiB), { name: { uname: 'denied' } }))
      .catch((e: unknown) => e)) as IonflowError;
    expect(err.message).toMatch(/^deleting the old metadata s3:\/\/.*\/denied\.json: AccessDenied: no deleting$/);
    expect(err.hint).toMatch(/not allowed/);
    expect(await exists('datomic/apps/shop/denied.zip')).toBe(false);
    expect(aws.fake.callsOf('RegisterApplicationRevision')).toHaveLength(0);
  });

  it('checking that a zip is still there: gone is false; a refused HEAD is an error with its hint', async () => {
    const meta = await store().put(input(randomBytes(100_000), { name: { uname: 'checked' } }));
    expect(await store().holds(meta)).toBe(true);
    expect(await store().holds({ ...meta, s3: { ...meta.s3!, eTag: 'other' } })).toBe(false);
    expect(await store().holds({ ...meta, s3: { ...meta.s3!, key: 'datomic/apps/shop/gone.zip' } })).toBe(false);
    aws.proxy.setRule((req) => (req.method === 'HEAD' ? { status: 403, code: 'AccessDenied' } : undefined));
    const err = (await store()
      .holds(meta)
      .catch((e: unknown) => e)) as IonflowError;
    expect(err.message).toBe(`checking s3://${aws.s3.bucket}/datomic/apps/shop/checked.zip: HTTP 403 Forbidden`);
    expect(err.hint).toMatch(/not allowed/);
  });

  it('lookup asks for the metadata and the zip at once, with the answers holds() gives', async () => {
    const meta = await store().put(input(randomBytes(100_000), { name: { uname: 'looked' } }));
    const found = store().lookup('shop', 'looked');
    expect(await found.meta).toEqual(meta);
    expect(await found.intact).toBe(true);
    // Metadata naming another key (an older prefix) is asked about that key.
    const moved = { ...meta, name: 'moved', uname: 'moved' };
    await direct().send(new PutObjectCommand({ Bucket: aws.s3.bucket, Key: 'datomic/apps/shop/moved.json', Body: JSON.stringify(moved) }));
    expect(await store().lookup('shop', 'moved').intact).toBe(true);
    await direct().send(new DeleteObjectCommand({ Bucket: aws.s3.bucket, Key: 'datomic/apps/shop/looked.zip' }));
    expect(await store().lookup('shop', 'looked').intact).toBe(false);
    expect(await store().lookup('shop', 'moved').intact).toBe(false);

    // A refused HEAD matters only where metadata was found.
    await store().put(input(randomBytes(1000), { name: { uname: 'refused' } }));
    aws.proxy.setRule((req) => (req.method === 'HEAD' ? { status: 403, code: 'AccessDenied' } : undefined));
    const none = store().lookup('shop', 'never-pushed');
    expect(await none.meta).toBeUndefined();
    expect(await none.intact).toBe(false);
    const err = (await store()
      .lookup('shop', 'refused')
      .intact.catch((e: unknown) => e)) as IonflowError;
    expect(err.message).toBe(`checking s3://${aws.s3.bucket}/datomic/apps/shop/refused.zip: HTTP 403 Forbidden`);
  });

  it('registers no version for an unversioned bucket', async () => {
    await store().put(input(randomBytes(100_000), { name: { uname: 'unversioned' } }));
    const calls = aws.fake.callsOf('RegisterApplicationRevision');
    expect(calls).toHaveLength(1);
    expect((calls[0]!.input as RegisterInput).revision.s3Location).not.toHaveProperty('version');
  });

  it('streams a multipart upload and still ends with a correct object when S3 answers 500 to some requests', async () => {
    const body = randomBytes(12 * MiB);
    const failed = new Set<string>();
    aws.proxy.setRule((req) => {
      const kind = isUploadPart(req) ? `part${new URL(req.url, 'http://x').searchParams.get('partNumber')}` : isComplete(req) ? 'complete' : '';
      if (!kind || failed.has(kind)) return undefined;
      failed.add(kind);
      return { status: 500, code: 'InternalError', message: 'injected' };
    });
    const meta = await store().put(input(body));
    expect(failed).toEqual(new Set(['part1', 'part2', 'part3', 'complete']));
    const stored = await objectBytes(`datomic/apps/shop/${SHA}.zip`);
    expect(sha256(stored)).toBe(sha256(body));
    expect(meta.sha256).toBe(sha256(body));
    const head = await direct().send(new HeadObjectCommand({ Bucket: aws.s3.bucket, Key: `datomic/apps/shop/${SHA}.zip` }));
    expect(meta.s3?.eTag).toBe(head.ETag!.replaceAll('"', ''));
    expect(aws.fake.callsOf('RegisterApplicationRevision')).toHaveLength(1);
  });

  it('a persistent failure aborts the upload, keeps nothing and registers nothing, with a hint', async () => {
    aws.proxy.setRule((req) => (isUploadPart(req) ? { status: 500, code: 'InternalError' } : undefined));
    const name = { uname: 'always-failing' };
    const err = (await store()
      .put(input(randomBytes(11 * MiB), { name }))
      .catch((e: unknown) => e)) as IonflowError;
    expect(err).toBeInstanceOf(IonflowError);
    expect(err.kind).toBe('stepFailed');
    expect(err.message).toMatch(/upload s3:\/\/.*always-failing\.zip: InternalError/);
    expect(err.hint).toMatch(/kept failing/);
    expect(aws.proxy.requests.some((r) => r.method === 'DELETE' && r.url.includes('uploadId='))).toBe(true);
    expect(await exists('datomic/apps/shop/always-failing.zip')).toBe(false);
    expect(await exists('datomic/apps/shop/always-failing.json')).toBe(false);
    expect(aws.fake.callsOf('RegisterApplicationRevision')).toHaveLength(0);
  });

  it('an abort during the upload leaves no object, no metadata and no registration', async () => {
    const controller = new AbortController();
    aws.proxy.setRule((req) => (isUploadPart(req) ? { hang: true } : undefined));
    const seen = aws.proxy.requests.length;
    const watcher = setInterval(() => {
      if (aws.proxy.requests.slice(seen).some(isUploadPart)) controller.abort();
    }, 20);
    const name = { uname: 'interrupted' };
    const err = await store()
      .put(input(randomBytes(11 * MiB), { name, signal: controller.signal }))
      .catch((e: unknown) => e);
    clearInterval(watcher);
    expect((err as IonflowError).kind).toBe('interrupted');
    aws.proxy.setRule(() => undefined);
    expect(await exists('datomic/apps/shop/interrupted.zip')).toBe(false);
    expect(await exists('datomic/apps/shop/interrupted.json')).toBe(false);
    expect(aws.fake.callsOf('RegisterApplicationRevision')).toHaveLength(0);
  });

  it('a failing source (git archive) fails the upload instead of storing a truncated zip', async () => {
    const broken = new Readable({
      read() {
        this.push(randomBytes(64 * 1024));
        this.destroy(new Error('git archive failed: boom'));
      },
    });
    await expect(store().put(input(broken, { name: { uname: 'truncated' } }))).rejects.toThrow(/boom/);
    expect(await exists('datomic/apps/shop/truncated.zip')).toBe(false);
  });

  it.each([
    ['AccessDenied', 403, /not allowed/],
    ['ExpiredToken', 400, /credentials are missing or expired/],
  ])('S3 %s gives its hint', async (code, status, hint) => {
    aws.proxy.setRule(() => ({ status, code }));
    const err = (await store()
      .put(input(randomBytes(1000)))
      .catch((e: unknown) => e)) as IonflowError;
    expect(err.message).toContain(code);
    expect(err.hint).toMatch(hint);
    expect(aws.fake.callsOf('RegisterApplicationRevision')).toHaveLength(0);
  });

  it('a missing bucket gives its hint', async () => {
    const err = (await store('no-such-bucket')
      .put(input(randomBytes(1000)))
      .catch((e: unknown) => e)) as IonflowError;
    expect(err.message).toContain('NoSuchBucket');
    expect(err.hint).toMatch(/bucket does not exist/);
  });

  it('expired credentials at CodeDeploy give their hint', async () => {
    aws.fake.fault({
      match: 'codedeploy.RegisterApplicationRevision',
      code: 'ExpiredTokenException',
      message: 'The security token included in the request is expired',
    });
    const err = (await store()
      .put(input(randomBytes(1000)))
      .catch((e: unknown) => e)) as IonflowError;
    expect(err.message).toMatch(/RegisterApplicationRevision shop .*ExpiredTokenException/);
    expect(err.hint).toMatch(/credentials are missing or expired/);
  });

  it('an unknown CodeDeploy application gives its hint', async () => {
    const err = (await store()
      .put(input(randomBytes(1000), { appName: 'ghost' }))
      .catch((e: unknown) => e)) as IonflowError;
    expect(err.message).toContain('ApplicationDoesNotExistException');
    expect(err.hint).toMatch(/no application of that name/);
  });
});
