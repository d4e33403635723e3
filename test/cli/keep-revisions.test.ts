// `keep-revisions: <n>` on a local store (SPEC §5): a push prunes the app's
// revisions beyond the newest n, says so, and never deletes one a group runs,
// one still deploying, or one of a group's last 3 SUCCEEDED deployments.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deployYaml } from '../support/app-repo.js';
import { teamRepo } from '../support/team-repo.js';
import { runCli } from '../support/cli.js';
import { makeRepo, type TempRepo } from '../support/repo.js';

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

const YAML = (keep: string) => deployYaml('', ['staging', 'qa'], [`keep-revisions: ${keep}`]);

const storeDir = (r: TempRepo) => join(r.dir, '.ionflow/store/shop');
/** The revisions in the store, as `<name>.zip`/`<name>.json` pairs: [zips, jsons], sorted. */
const stored = (r: TempRepo) => {
  const files = readdirSync(storeDir(r));
  const of = (ext: string) =>
    files
      .filter((f) => f.endsWith(ext))
      .map((f) => f.slice(0, -ext.length))
      .sort();
  return [of('.zip'), of('.json')];
};

function ledgerRecord(r: TempRepo, group: string, n: number, rev: string, status: string) {
  const id = `d-20260101-00000${n}-000-abcdef`;
  const folder = join(storeDir(r), 'ledger', group);
  mkdirSync(folder, { recursive: true });
  const startedAt = `2026-01-01T00:00:0${n}.000Z`;
  const record = { group, app: 'shop', rev, 'deployment-id': id, 'deploy-status': status, 'started-at': startedAt, by: 'bob' };
  writeFileSync(join(folder, `${id}.json`), JSON.stringify(record));
}

describe('keep-revisions on a local store', () => {
  it("keeps the newest n after each push, says so, and never prunes a group's current, a RUNNING deployment or a group's last 3 SUCCEEDED", async () => {
    const team = teamRepo(YAML('2'));
    repo = team.repo;
    const c = [repo.head()];
    for (let i = 1; i <= 9; i++) c.push(repo.commit(`version ${i}`));
    const push = async (from: number, to: number) => {
      const pushes = [];
      for (const rev of c.slice(from, to + 1)) pushes.push(await team.cli('push', '--rev', rev));
      expect(
        pushes.map((p) => p.code),
        pushes.map((p) => p.stderr).join('\n'),
      ).toEqual(pushes.map(() => 0));
      return pushes.map((p) => p.stderr);
    };
    const names = (...i: number[]) => i.map((n) => c[n]!).sort();

    // Nothing deployed: four pushes leave the newest two.
    const first = await push(0, 3);
    expect(stored(repo)).toEqual([names(2, 3), names(2, 3)]);
    expect(first[1]).not.toContain('keep-revisions');
    expect(first[2]).toContain(`keep-revisions 2: pruned 1 older revision(s) of shop (${c[0]})`);
    expect(first[3]).toContain(`keep-revisions 2: pruned 1 older revision(s) of shop (${c[1]})`);

    // c2 is what staging runs; qa succeeded with c3..c6 (c3 is beyond its last 3);
    // a group since removed from deploy.yaml is still deploying c7.
    const deployed = await team.cli('deploy', '--group', 'staging', '--rev', c[2]!);
    expect(deployed.code, deployed.stderr).toBe(0);
    for (let i = 3; i <= 6; i++) ledgerRecord(repo, 'qa', i, c[i]!, 'SUCCEEDED');
    ledgerRecord(repo, 'qa', 7, c[8]!, 'FAILED');
    ledgerRecord(repo, 'retired', 8, c[7]!, 'RUNNING');
    const said = (await push(4, 9)).join('\n');
    expect(stored(repo)).toEqual([names(2, 4, 5, 6, 7, 8, 9), names(2, 4, 5, 6, 7, 8, 9)]);
    expect(said).toContain(`pruned 1 older revision(s) of shop (${c[3]})`);
    expect(said).toMatch(/kept \d+ older one\(s\) still deployed or wanted for rollback/);
  });

  it.each([
    ['0', 'must be at least 1'],
    ['-1', 'must be at least 1'],
    ['"x"', 'must be a whole number'],
  ])('refuses keep-revisions: %s at file:line:col (exit 2)', async (value, why) => {
    repo = makeRepo({ 'deploy.yaml': YAML(value) });
    const r = await runCli(['validate'], { cwd: repo.dir, env: repo.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`deploy.yaml:6:23: 'keep-revisions' ${why}`);
  });

  it('refuses keep-revisions on an S3 store (exit 2)', async () => {
    const yaml = `version: 1
apps:
  shop:
    store:
      s3:
        bucket: b
      keep-revisions: 3
`;
    repo = makeRepo({ 'deploy.yaml': yaml });
    const r = await runCli(['validate'], { cwd: repo.dir, env: repo.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("deploy.yaml:7:7: 'keep-revisions' prunes local stores only");
  });
});
