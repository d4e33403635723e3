// Make-style deploy skip: a deployment is "this revision" only when name and
// recorded content agree; a uname without recorded content is never proven equal.
import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../src/model/deployment.js';
import type { RevisionMeta } from '../../src/model/revision.js';
import { sameRevision } from '../../src/model/deployment.js';

const SHA = 'a'.repeat(40);
const meta = (name: string, extra: Partial<RevisionMeta> = {}): RevisionMeta => ({
  name,
  ...(name === SHA ? { rev: name } : { uname: name }),
  appName: 'shop',
  sha256: 'sha-1',
  size: 1,
  fileCount: 1,
  pushedAt: '2026-01-01T00:00:00Z',
  tree: 'tree-1',
  entryPoints: null,
  location: '/x.zip',
  ...extra,
});
const record = (name: string, content?: DeploymentRecord['content']): DeploymentRecord => ({
  id: { executionArn: 'arn:ionflow:local:dev:d-1' },
  group: 'dev',
  appName: 'shop',
  name,
  status: { deployStatus: 'SUCCEEDED', codeDeployStatus: 'SUCCEEDED' },
  startedAt: '2026-01-01T00:00:00Z',
  ...(content ? { content } : {}),
});

describe('sameRevision', () => {
  it('compares the tree, else the sha256, else the S3 eTag', () => {
    expect(sameRevision(record('alice', { tree: 'tree-1', sha256: 'other' }), meta('alice'))).toBe(true);
    expect(sameRevision(record('alice', { tree: 'tree-0', sha256: 'sha-1' }), meta('alice'))).toBe(false);
    expect(sameRevision(record('alice', { sha256: 'sha-1' }), meta('alice', { tree: '' }))).toBe(true);
    expect(sameRevision(record('alice', { sha256: 'sha-0' }), meta('alice', { tree: '' }))).toBe(false);
    const s3 = { bucket: 'b', key: 'k/alice.zip', eTag: '"e1"' };
    expect(sameRevision(record('alice', { eTag: 'e1' }), meta('alice', { s3 }))).toBe(true);
    expect(sameRevision(record('alice', { eTag: 'e0' }), meta('alice', { s3 }))).toBe(false);
  });

  it('never matches another name, and a uname without recorded content never matches', () => {
    expect(sameRevision(record('bob', { tree: 'tree-1' }), meta('alice'))).toBe(false);
    expect(sameRevision(record('alice'), meta('alice'))).toBe(false);
    // A commit SHA names its content: an old record without content still matches.
    expect(sameRevision(record(SHA), meta(SHA))).toBe(true);
  });
});
