// Git repositories for benchmarks: source-like text files
// (compressible) plus binary assets (incompressible), an appspec.yml at the
// root (aws deploy push insists on one), committed with fixed dates. A repo
// already generated with the same parameters is reused.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const WORDS = (
  'defn let fn if when cond map reduce filter assoc dissoc update get-in into vec keys vals ' +
  'request response handler datomic ion query pull entity attribute transact db conn tx ' +
  'cart order customer price total item sku inventory shipping address invoice payment'
).split(' ');

function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function textFile(rand, bytes) {
  const lines = [];
  let size = 0;
  while (size < bytes) {
    const n = 3 + Math.floor(rand() * 9);
    const indent = ' '.repeat(Math.floor(rand() * 4) * 2);
    let line = `${indent}(`;
    for (let i = 0; i < n; i++) line += `${WORDS[Math.floor(rand() * WORDS.length)]}${i % 3 === 2 ? `-${Math.floor(rand() * 1000)}` : ''} `;
    line += ')';
    lines.push(line);
    size += line.length + 1;
  }
  return `${lines.join('\n')}\n`;
}

// Incompressible like jars and images; not seeded (speed over identical bytes: the repo is cached anyway).
const binaryFile = (bytes) => randomBytes(bytes);

const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@example.com',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@example.com',
  GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
};

export const git = (dir, ...args) => execFileSync('git', args, { cwd: dir, env: GIT_ENV, encoding: 'utf8', maxBuffer: 1 << 26 }).trim();

/**
 * files: how many (appspec.yml included); bytes: total size; binaryShare: the
 * part of the bytes in incompressible binary files, spread over `binaryFiles`
 * (default one file in ten), all of the same size; packed: files over
 * 1 MiB stored in packs rather than as loose objects.
 */
export function generateRepo(dir, { files, bytes, binaryShare = 0.3, binaryFiles, seed = 1, packed = false }) {
  const marker = join(dir, '.git', 'ionflow-bench.json');
  const params = JSON.stringify({ layout: 2, files, bytes, binaryShare, binaryFiles, seed, ...(packed ? { packed } : {}) });
  if (existsSync(marker) && readFileSync(marker, 'utf8') === params) return git(dir, 'rev-parse', 'HEAD');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const rand = prng(seed);
  const binaries = binaryFiles ?? Math.max(1, Math.round(files / 10));
  const texts = Math.max(1, files - binaries - 1);
  const binarySize = Math.floor((bytes * binaryShare) / binaries);
  const textSize = Math.floor((bytes * (1 - binaryShare)) / texts);
  const write = (path, content) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  };
  write('appspec.yml', 'version: 0.0\nos: linux\nfiles: []\n');
  for (let i = 0; i < texts; i++) {
    const size = Math.max(64, Math.floor(textSize * (0.5 + rand())));
    write(`src/pkg${i % 50}/ns${i}.clj`, textFile(rand, size));
  }
  // Binaries all of one size: "eight files of 128 MiB" means just that.
  for (let i = 0; i < binaries; i++) write(`resources/assets/asset${i}.bin`, binaryFile(Math.max(64, binarySize)));
  git(dir, 'init', '-q', '-b', 'main');
  // Loose objects, as `git add` leaves them; or packed, as a clone has them
  // (git add writes files over core.bigFileThreshold straight into a pack).
  if (packed) git(dir, '-c', 'core.bigFileThreshold=1m', '-c', 'core.compression=0', 'add', '-A');
  else git(dir, '-c', 'core.looseCompression=0', 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'generated');
  writeFileSync(marker, params);
  return git(dir, 'rev-parse', 'HEAD');
}

/** A new commit with the same tree: a push of it is a real (not up-to-date) push. */
export function newCommit(dir, label) {
  git(dir, 'commit', '-q', '--allow-empty', '-m', label);
  return git(dir, 'rev-parse', 'HEAD');
}
