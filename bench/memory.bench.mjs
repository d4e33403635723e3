// `npm run bench -- memory` (only when named: it writes 1 GiB three times):
// peak memory pushing a 1 GiB revision of eight 128 MiB files, to a local
// store and to S3 (s3rver), over every process of the push (ionflow, git):
// the largest single peak, as /usr/bin/time reports it, and the peak of their
// sum, sampled from /proc. Target: no process above 150 MiB.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startPushServers, writeS3Config } from './support/push-servers.mjs';
import { generateRepo } from './support/generate-repo.mjs';
import { MiB, measure, secs } from './support/measure.mjs';

export const byNameOnly = true;

const root = fileURLToPath(new URL('..', import.meta.url));
const work = `${root}bench/.work`;
const BIN = `${root}bin/ionflow.js`;
export const HUGE = { name: '1gib', files: 10, bytes: 1024 * MiB, binaryShare: 1, binaryFiles: 8 };

export default async function memoryBench() {
  if (!existsSync(`${root}dist/cli/main.js`)) throw new Error('build first: npm run build');
  mkdirSync(work, { recursive: true });
  const servers = await startPushServers(work);
  const rows = [];
  const store = `${work}/store-1gib`;
  try {
    // git holds a loose object mapped whole, a pack through windows: both ways of storing are measured.
    for (const packed of [false, true]) {
      const name = `${HUGE.name}${packed ? '-packed' : ''}`;
      const repoDir = `${work}/repo-${name}`;
      generateRepo(repoDir, { ...HUGE, packed });
      const targets = [
        { where: 'local store', config: writeS3Config(work, name, repoDir, { local: store }) },
        { where: 'S3 (s3rver)', config: writeS3Config(work, name, repoDir) },
      ];
      for (const { where, config } of targets) {
        rmSync(store, { recursive: true, force: true });
        const run = await measure(process.execPath, [BIN, '-c', config, 'push', '--force'], { env: servers.env, tree: true });
        const peak = run.peakMiB;
        rows.push({
          name: `push 1 GiB (8 × 128 MiB, ${packed ? 'packed' : 'loose objects'}) to ${where}: peak RSS of the largest process (sum of all; each)`,
          value: `${peak.toFixed(0)} MiB (${run.treeMiB.toFixed(0)} MiB; ${run.byName}), in ${secs(run.ms)}`,
          target: '≤ 150 MiB',
          met: peak <= 150,
        });
      }
    }
  } finally {
    rmSync(store, { recursive: true, force: true });
    await servers.close();
  }
  return rows;
}
