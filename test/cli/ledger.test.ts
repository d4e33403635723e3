// The release ledger through the CLI (SPEC §11): every deployment recorded in
// the app's store by concurrent processes, history read from it (and from a
// local group's older records), promotion gates, status and rollback --to.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { events } from '../support/app-repo.js';
import { teamRepo } from '../support/team-repo.js';
import type { TempRepo } from '../support/repo.js';

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

const ledgerDir = (r: TempRepo) => join(r.dir, '.ionflow/store/shop/ledger');
const records = (r: TempRepo, group: string) =>
  readdirSync(join(ledgerDir(r), group)).map((f) => JSON.parse(readFileSync(join(ledgerDir(r), group, f), 'utf8')) as Record<string, string>);

describe('the release ledger', () => {
  it('keeps every deployment of processes deploying at once, and history reads it (and the older records)', async () => {
    const team = teamRepo();
    repo = team.repo;
    expect((await team.cli('push')).code).toBe(0);
    const rev = repo.head();
    const results = await Promise.all([
      team.cli('deploy', '--group', 'staging', '--rev', rev),
      team.cli('deploy', '--group', 'qa', '--rev', rev),
      team.cli('deploy', '--group', 'staging', '--rev', rev),
    ]);
    expect(
      results.map((r) => r.code),
      results.map((r) => r.stderr).join('\n'),
    ).toEqual([0, 0, 0]);

    const staging = records(repo, 'staging');
    expect(staging).toHaveLength(2);
    expect(records(repo, 'qa')).toHaveLength(1);
    for (const r of [...staging, ...records(repo, 'qa')]) {
      expect(r).toMatchObject({ app: 'shop', rev, 'deploy-status': 'SUCCEEDED', by: `alice@example.com on ${hostname()}` });
      expect(r.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(r['execution-arn']).toMatch(/^arn:ionflow:local:(staging|qa):d-/);
      expect(Date.parse(r['ended-at']!)).toBeGreaterThanOrEqual(Date.parse(r['started-at']!));
    }

    const history = await team.cli('history', 'staging', '--json');
    const listed = JSON.parse(history.stdout) as Record<string, unknown>[];
    expect(listed.map((r) => [r['execution-arn'], r.by])).toEqual(
      staging.sort((a, b) => b['started-at']!.localeCompare(a['started-at']!)).map((r) => [r['execution-arn'], r.by]),
    );
    // Deployments from before the ledger are still the group's history.
    rmSync(ledgerDir(repo), { recursive: true });
    const old = await team.cli('history', 'staging', '--json');
    expect((JSON.parse(old.stdout) as unknown[]).length).toBe(2);
  });

  it('gates prod on staging: plan blocks, deploy and run refuse (exit 3), --override-gate records why; unames compare content', async () => {
    const team = teamRepo();
    repo = team.repo;
    const cli = team.cli;
    expect((await cli('push')).code).toBe(0);
    const rev = repo.head();
    const short = rev.slice(0, 7);

    const plan = await cli('plan', 'promote');
    expect(plan.stdout).toContain(
      `blocked (gate: prod takes only revisions that succeeded on staging; ${short} has not (staging has no successful deployment))`,
    );

    const refused = await cli('deploy', '--group', 'prod', '--rev', rev);
    expect(refused.code).toBe(3);
    expect(refused.stderr.trimEnd().split('\n').slice(-2)).toEqual([
      `error: prod takes only revisions that succeeded on staging; ${short} has not (staging has no successful deployment)`,
      `hint: run a pipeline that deploys ${short} to staging first, or --override-gate "<reason>"`,
    ]);
    const run = await cli('run', 'promote', '--output', 'jsonl');
    expect(run.code).toBe(3);
    expect(events(run.stdout).find((e) => e.type === 'step-end')).toMatchObject({ step: 'deploy-prod', status: 'failed' });
    expect(() => readdirSync(join(ledgerDir(team.repo), 'prod'))).toThrow();

    const forced = await cli('deploy', '--group', 'prod', '--rev', rev, '--override-gate', 'hotfix for INC-42');
    expect(forced.code, forced.stderr).toBe(0);
    expect(records(repo, 'prod')).toEqual([expect.objectContaining({ rev, reason: 'hotfix for INC-42', 'deploy-status': 'SUCCEEDED' })]);

    // A uname pushed again with new content is not the one staging ran.
    expect((await cli('push', '--uname', 'exp')).code).toBe(0);
    expect((await cli('deploy', '--group', 'staging', '--uname', 'exp')).code).toBe(0);
    repo.write({ 'src/app.clj': '(ns app) ;; changed\n' });
    expect((await cli('push', '--uname', 'exp')).code).toBe(0);
    const uname = await cli('deploy', '--group', 'prod', '--uname', 'exp');
    expect(uname.code).toBe(3);
    expect(uname.stderr).toContain('error: prod takes only revisions that succeeded on staging; exp has not (staging runs exp with other content)');
  });

  it('status: one aligned row per group with revision, status, who, HEAD and behind; rollback --to only to what ran there', async () => {
    const team = teamRepo();
    repo = team.repo;
    const cli = team.cli;
    expect((await cli('run', 'ship')).code).toBe(0);
    const first = repo.head();
    // A pipeline's deployments name their run, the one `ionflow runs` lists.
    const [shipRun] = JSON.parse((await cli('runs', '--json')).stdout) as { id: string; pipeline: string; status: string }[];
    expect(shipRun).toMatchObject({ pipeline: 'ship', status: 'succeeded', rev: first });
    expect(records(repo, 'prod')).toEqual([expect.objectContaining({ run: shipRun!.id, rev: first })]);
    repo.commit('Second version', { 'src/app.clj': '(ns app) ;; 2\n' });
    expect((await cli('push')).code).toBe(0);
    expect((await cli('deploy', '--group', 'staging', '--rev', 'HEAD')).code).toBe(0);
    const second = repo.head();

    const table = await cli('status');
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^GROUP\s+APP\s+REVISION\s+STATUS\s+WHEN\s+BY\s+HEAD\s+BEHIND$/);
    // Aligned: every column starts where its header does.
    const col = lines[0]!.indexOf('STATUS');
    expect(lines.slice(1).map((l) => l.slice(col).split(/\s{2,}/)[0])).toEqual(['SUCCEEDED', '-', 'SUCCEEDED']);
    expect(lines[1]).toMatch(
      new RegExp(`^staging\\s+shop\\s+${second.slice(0, 7)} Second version\\s+SUCCEEDED\\s+\\d+s ago\\s+alice@example.com on \\S+\\s+yes$`),
    );
    expect(lines[2]).toMatch(/^qa\s+shop\s+-\s+-\s+-\s+-\s+no$/);
    expect(lines[3]).toMatch(new RegExp(`^prod\\s+shop\\s+${first.slice(0, 7)} First version\\s+SUCCEEDED\\s+.*\\s+no\\s+staging has ${second.slice(0, 7)}$`));
    expect(table.stdout).not.toContain('\u001b[');
    const json = JSON.parse((await cli('status', '--json')).stdout) as Record<string, unknown>[];
    expect(json.map((r) => [r.group, r['head-deployed'], r.behind])).toEqual([
      ['staging', true, undefined],
      ['qa', false, undefined],
      ['prod', false, [{ group: 'staging', rev: second }]],
    ]);

    const unknown = await cli('rollback', 'prod', '--to', second);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain(`error: ${second} has not SUCCEEDED on group prod`);
    const dry = await cli('rollback', 'staging', '--to', first.slice(0, 7), '--dry-run');
    expect([dry.code, dry.stdout]).toEqual([
      0,
      expect.stringMatching(
        new RegExp(`^rollback staging: would deploy ${first} \\(SUCCEEDED .* by alice@example.com on \\S+\\), now running ${second.slice(0, 7)}\\n$`),
      ),
    ]);
    expect(records(repo, 'staging')).toHaveLength(2);
    const rolled = await cli('rollback', 'staging', '--to', first.slice(0, 7));
    expect(rolled.code, rolled.stderr).toBe(0);
    expect(records(repo, 'staging')).toHaveLength(3);
  });
});
