// The aws revision store (SPEC §1, §5): `s3://<bucket>/<prefix><app-name>/<name>.zip`
// uploaded as a streamed multipart upload, `<name>.json` metadata beside it
// written only once the zip is complete, then the zip registered as a
// CodeDeploy application revision and the metadata marked `registered`
// (until then a push registers it without uploading again). A failed or interrupted upload is aborted
// and nothing is registered; the revision of that name, if any, stays as it
// was (for a uname, unless the failure came after its old metadata went).

import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertSafeName } from '../../model/names.js';
import { InterruptedError, isAbortError } from '../../model/errors.js';
import { DigestStream } from '../digest.js';
import { isRegistered, revisionMeta, unregistersBeforeReplacing } from '../revision-meta.js';
import type { PutRevisionInput, RevisionStore, StoredLookup } from '../types.js';
import { type RevisionMeta, revisionName } from '../../model/revision.js';
import { requireSdk } from '../../lazy/aws-sdk.js';
import type { AwsClients, S3Api } from './clients.js';
import { toIonflowError } from './hints.js';
import { watchCalls } from './watched-client.js';
import { jsonText } from '../../text/json.js';

export interface S3StoreOptions {
  bucket: string;
  /** Key prefix, e.g. `datomic/apps/` (kept as given). */
  prefix: string;
  clients: AwsClients;
  /**
   * Multipart part size in bytes (default 5 MiB, S3's minimum) and parts in
   * flight (default 2). Memory grows by about partSize × (queueSize + 2): the
   * defaults keep a 1 GiB push under 150 MiB RSS (142 MiB, bench/memory.bench.mjs).
   * Larger parts or more of them in flight were no faster on the 5,000-file
   * bench push (8 MiB × 2, 5 MiB × 4, 16 MiB × 1: within the noise of 5 runs).
   * Nor were (issue 18, 20 and 14 alternating pushes): each part's SigV4
   * payload hash computed on the thread pool by WebCrypto (1.02×: its digest
   * copies the 5 MiB part first, which cost the main thread what the hash
   * did), and the S3 client's `expectContinueHeader: false` (1.04×). On 2
   * cores the push is CPU-bound, so moving work between threads gains nothing.
   */
  partSize?: number;
  queueSize?: number;
}

const MISSING = new Set(['NoSuchKey', 'NotFound']);

/** The zip found (its ETag, undefined when missing) is the one the metadata records. */
const sameETag = (eTag: string | undefined, meta: RevisionMeta): boolean => eTag !== undefined && eTag === meta.s3?.eTag;

export class S3RevisionStore implements RevisionStore {
  readonly kind = 's3' as const;
  readonly where: string;

  constructor(private readonly options: S3StoreOptions) {
    this.where = `s3://${options.bucket}/${options.prefix}`;
  }

  private key(appName: string, name: string, ext: 'zip' | 'json'): string {
    assertSafeName(appName, 'app name');
    assertSafeName(name, 'revision name');
    return `${this.options.prefix}${appName}/${name}.${ext}`;
  }

  private async s3(): Promise<S3Api> {
    return this.options.clients.s3();
  }

  async get(appName: string, name: string): Promise<RevisionMeta | undefined> {
    const Key = this.key(appName, name, 'json');
    try {
      const out = await (await this.s3()).getObject({ Bucket: this.options.bucket, Key });
      return JSON.parse((await out.Body?.transformToString('utf8')) ?? '') as RevisionMeta;
    } catch (err) {
      if (MISSING.has((err as Error).name)) return undefined;
      throw toIonflowError(err, `reading s3://${this.options.bucket}/${Key}`);
    }
  }

  async put(input: PutRevisionInput): Promise<RevisionMeta> {
    const name = revisionName(input.name);
    const { bucket: Bucket } = this.options;
    const Key = this.key(input.appName, name, 'zip');
    const where = `s3://${Bucket}/${Key}`;
    const s3 = await this.s3();
    // A commit is the same tree at every push (SPEC §5; with the same ionflow
    // and Node, the same bytes), so its metadata stays true while its zip is
    // replaced, and is rewritten after: a failed --force keeps the revision
    // deployable, and pushing a commit needs no s3:DeleteObject. A uname's
    // content changes from push to push: its metadata is deleted before the
    // new zip can replace the old one, and no earlier. The zip is replaced only
    // by the PutObject or CompleteMultipartUpload sent after the body has
    // ended; the digest deletes the metadata just before it lets the body end,
    // once every upload call so far has succeeded, so what can still fail
    // after the delete is only the request that replaces the zip.
    const metaKey = this.key(input.appName, name, 'json');
    const calls = watchCalls(s3.client);
    let unregisterFailure: unknown;
    const unregister = async () => {
      await calls.settled();
      if (calls.failure()) throw calls.failure();
      try {
        await s3.deleteObject({ Bucket, Key: metaKey }, input.signal);
      } catch (err) {
        unregisterFailure = toIonflowError(err, `deleting the old metadata s3://${Bucket}/${metaKey}`);
        throw unregisterFailure;
      }
    };
    const digest = new DigestStream({ beforeEnd: unregistersBeforeReplacing(input.name) ? unregister : undefined, chunks: true });
    const feeding = pipeline(input.body, digest).catch((err: unknown) => err);
    // lib-storage is only needed to upload: a skipped push never loads it.
    const { Upload } = requireSdk('lib-storage');
    const upload = new Upload({
      client: calls.client,
      params: { Bucket, Key, Body: digest, ContentType: 'application/zip' },
      partSize: this.options.partSize ?? 5 * 1024 * 1024,
      queueSize: this.options.queueSize ?? 2,
      // We abort the multipart upload ourselves, so its failure (s3rver answers
      // 405) never hides the error that caused it.
      leavePartsOnError: true,
    });
    // Progress counts bytes S3 has acknowledged, not bytes merely read from git.
    upload.on('httpUploadProgress', (p) => input.onProgress?.(p.loaded ?? 0));
    const onAbort = () => void upload.abort();
    input.signal?.addEventListener('abort', onAbort, { once: true });
    let result: Awaited<ReturnType<typeof upload.done>>;
    try {
      if (input.signal?.aborted) throw new InterruptedError();
      result = await upload.done();
      const fed = await feeding;
      if (fed) throw fed;
    } catch (err) {
      digest.destroy();
      if (upload.uploadId) await s3.abortMultipartUpload({ Bucket, Key, UploadId: upload.uploadId }).catch(() => undefined);
      const fed = await feeding;
      // A body stopped because the upload failed (lib-storage or the line
      // above stop reading it) ends in an abort or a premature close: not a
      // failure of its own, like git's, which would be the cause.
      const bodyFailure = fed && !isAbortError(fed) && (fed as { code?: string }).code !== 'ERR_STREAM_PREMATURE_CLOSE' ? fed : undefined;
      // What failed first: the unregistering, else the body (git), else the upload itself.
      const cause = unregisterFailure ?? bodyFailure ?? calls.failure() ?? err;
      throw toIonflowError(input.signal?.aborted ? new InterruptedError() : cause, `upload ${where}`);
    } finally {
      input.signal?.removeEventListener('abort', onAbort);
    }
    const eTag = (result.ETag ?? '').replaceAll('"', '');
    // Written unregistered while CodeDeploy registers the zip: a registration
    // that fails leaves the upload usable, and the next push registers it
    // without uploading again. Marked registered only once both succeeded.
    const meta: RevisionMeta = {
      ...(await revisionMeta(input, digest, where)),
      s3: { bucket: Bucket, key: Key, eTag, ...(result.VersionId ? { version: result.VersionId } : {}) },
      registered: false,
    };
    const [written, registered] = await Promise.allSettled([this.writeMeta(meta, input.signal), this.register(meta, input.signal)]);
    if (written.status === 'rejected') throw written.reason;
    if (registered.status === 'rejected') throw registered.reason;
    const done = { ...meta, registered: true };
    await this.writeMeta(done, input.signal);
    return done;
  }

  private async writeMeta(meta: RevisionMeta, signal?: AbortSignal): Promise<void> {
    try {
      await (await this.s3()).putObject(
        {
          Bucket: this.options.bucket,
          Key: this.key(meta.appName, meta.name, 'json'),
          Body: jsonText(meta),
          ContentType: 'application/json',
        },
        signal,
      );
    } catch (err) {
      throw toIonflowError(err, `writing the metadata of ${meta.location}`);
    }
  }

  async holds(meta: RevisionMeta, signal?: AbortSignal): Promise<boolean> {
    const Key = meta.s3?.key ?? this.key(meta.appName, meta.name, 'zip');
    return sameETag(await this.eTagOf(Key, signal), meta);
  }

  /**
   * The zip's HEAD goes out with the metadata's GET, to the key a push of this
   * name writes; metadata that names another key (an older prefix) is asked
   * about that key once it is known. A HEAD that finds nothing, or fails, matters
   * only when metadata was found.
   */
  lookup(appName: string, name: string, signal?: AbortSignal): StoredLookup {
    const Key = this.key(appName, name, 'zip');
    const eTag = this.eTagOf(Key, signal);
    const meta = this.get(appName, name);
    const intact = meta.then(async (found) => {
      if (!found) return false;
      if ((found.s3?.key ?? Key) !== Key) return this.holds(found, signal);
      return sameETag(await eTag, found);
    });
    for (const p of [eTag, meta, intact]) p.catch(() => undefined);
    return { meta, intact };
  }

  /** The ETag of the key's current object, undefined when there is none. */
  private async eTagOf(Key: string, signal?: AbortSignal): Promise<string | undefined> {
    try {
      // The key's current object, as a deploy downloads it: no VersionId,
      // which would need s3:GetObjectVersion on a versioned bucket.
      const head = await (await this.s3()).headObject({ Bucket: this.options.bucket, Key }, signal);
      return (head.ETag ?? '').replaceAll('"', '');
    } catch (err) {
      if (MISSING.has((err as Error).name)) return undefined;
      throw toIonflowError(err, `checking s3://${this.options.bucket}/${Key}`);
    }
  }

  /** RegisterApplicationRevision is idempotent: registering again is how we make sure. */
  async ensureRegistered(meta: RevisionMeta, signal?: AbortSignal): Promise<void> {
    if (!meta.s3) return;
    await this.register(meta, signal);
    if (!isRegistered(meta)) await this.writeMeta({ ...meta, registered: true }, signal);
  }

  private async register(meta: RevisionMeta, signal?: AbortSignal): Promise<void> {
    if (!meta.s3) return;
    const { bucket, key, eTag, version } = meta.s3;
    try {
      await (await this.options.clients.codedeploy()).registerApplicationRevision(
        {
          applicationName: meta.appName,
          description: meta.rev ? `rev ${meta.rev}` : `uname ${meta.uname}`,
          revision: {
            revisionType: 'S3',
            s3Location: { bucket, key, bundleType: 'zip', eTag, ...(version ? { version } : {}) },
          },
        },
        signal,
      );
    } catch (err) {
      throw toIonflowError(err, `RegisterApplicationRevision ${meta.appName} s3://${bucket}/${key}`);
    }
  }

  async fetchZip(meta: RevisionMeta, signal?: AbortSignal): Promise<{ path: string; cleanup(): Promise<void> }> {
    const Key = meta.s3?.key ?? this.key(meta.appName, meta.name, 'zip');
    const dir = await mkdtemp(join(tmpdir(), 'ionflow-revision-'));
    const cleanup = () => rm(dir, { recursive: true, force: true });
    const path = join(dir, `${meta.name}.zip`);
    try {
      const out = await (await this.s3()).getObject({ Bucket: this.options.bucket, Key }, signal);
      await pipeline(out.Body as Readable, createWriteStream(path), { signal });
      return { path, cleanup };
    } catch (err) {
      await cleanup();
      throw toIonflowError(err, `download s3://${this.options.bucket}/${Key}`);
    }
  }

  async list(appName: string): Promise<RevisionMeta[]> {
    const s3 = await this.s3();
    const Prefix = `${this.options.prefix}${appName}/`;
    const names: string[] = [];
    try {
      for await (const page of s3.listObjectsV2Pages({ Bucket: this.options.bucket, Prefix })) {
        for (const o of page.Contents ?? []) {
          // Revisions sit right under the app's prefix; deeper keys are its ledger.
          const rest = o.Key?.slice(Prefix.length);
          if (rest?.endsWith('.json') && !rest.includes('/')) names.push(rest.slice(0, -5));
        }
      }
    } catch (err) {
      throw toIonflowError(err, `listing s3://${this.options.bucket}/${Prefix}`);
    }
    const metas = await Promise.all(names.map((n) => this.get(appName, n)));
    return metas.filter((m): m is RevisionMeta => m !== undefined).sort((a, b) => b.pushedAt.localeCompare(a.pushedAt));
  }

  async remoteDeployGroups(appName: string): Promise<string[]> {
    const codedeploy = await this.options.clients.codedeploy();
    const groups: string[] = [];
    try {
      for await (const page of codedeploy.listDeploymentGroupsPages({ applicationName: appName })) groups.push(...(page.deploymentGroups ?? []));
    } catch (err) {
      throw toIonflowError(err, `ListDeploymentGroups ${appName}`);
    }
    return groups;
  }
}
