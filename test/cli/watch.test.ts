import { type ChildProcess, execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/engine/events.js';
import { appRepo, current, events } from '../support/app-repo.js';
import { type CliResult, runCli } from '../support/cli.js';
import type { TempRepo } from '../support/repo.js';

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `ionflow watch … --output jsonl` in the background, its events readable as they come. */
function startWatch(r: TempRepo, args: string[]) {
  let out = '';
  let err = '';
  let exited: number | null | undefined;
  let child: ChildProcess | undefined;
  const done: Promise<CliResult> = runCli(['watch', ...args, '--output', 'jsonl'], {
    cwd: r.dir,
    env: r.env,
    timeoutMs: 60_000,
    onSpawn: (c) => {
      child = c;
      c.stdout?.on('data', (d: Buffer) => {
        out += String(d);
      });
      c.stderr?.on('data', (d: Buffer) => {
        err += String(d);
      });
      c.on('exit', (code) => {
        exited = code;
      });
    },
  });
  const evs = (): EngineEvent[] => events(out.slice(0, out.lastIndexOf('\n') + 1));
  return {
    evs,
    async until(pred: (e: EngineEvent[]) => boolean, ms = 40_000) {
      const t0 = Date.now();
      while (!pred(evs())) {
        if (exited !== undefined || Date.now() - t0 > ms) {
          throw new Error(`${exited !== undefined ? `watch exited with ${exited}` : 'timed out waiting'}; stdout:\n${out}\nstderr:\n${err}`);
        }
        await sleep(25);
      }
    },
    async stop() {
      child?.kill('SIGINT');
      return done;
    },
  };
}

const runStarts = (evs: EngineEvent[]) => evs.filter((e) => e.type === 'run-start');
const runEnds = (evs: EngineEvent[]) => evs.filter((e) => e.type === 'run-end');

/** run-start and run-end strictly alternate: runs never overlap. */
function neverOverlap(evs: EngineEvent[]) {
  const seq = evs.filter((e) => e.type === 'run-start' || e.type === 'run-end').map((e) => e.type);
  expect(seq).toEqual(seq.map((_t, i) => (i % 2 === 0 ? 'run-start' : 'run-end')));
}

const SLOW = (seconds: number) => `  dev:
    steps:
      - push: shop
      - deploy: dev
      - run: sleep ${seconds}
`;

describe('ionflow watch', () => {
  it('folds 20 commits made during a run into at most 2 further runs, the last for the final commit', async () => {
    repo = appRepo(SLOW(4));
    const w = startWatch(repo, ['dev']);
    await w.until((e) => e.some((x) => x.type === 'step-start' && x.step === 'run-1'));
    const t0 = Date.now();
    // One shell for the 20 commits: each is one git process (about 0.5 s for all on an idle
    // machine, up to ~3 s on a loaded one); the run's 4 s step keeps them all inside the run.
    execFileSync('sh', ['-c', 'for i in $(seq 1 20); do echo "version $i" > src/app.txt; git commit -q -a -m "commit $i"; done'], {
      cwd: repo.dir,
      env: repo.env,
    });
    const committedAt = Date.now();
    const last = repo.head();
    await w.until((e) => runStarts(e).some((s) => s.type === 'run-start' && s.rev === last) && runEnds(e).length === runStarts(e).length, 30_000);
    await sleep(600);
    const res = await w.stop();
    expect(res.code).toBe(130);
    const evs = w.evs();
    const starts = runStarts(evs);
    expect(starts.length - 1).toBeGreaterThanOrEqual(1);
    expect(starts.length - 1).toBeLessThanOrEqual(2);
    expect(starts.at(-1)).toMatchObject({ rev: last });
    neverOverlap(evs);
    // The premise: the commits landed while the first run was in flight.
    expect(committedAt - t0).toBeLessThan(4_000);
    expect(runEnds(evs).length).toBeGreaterThan(0);
    // Each run is announced with its commit's SHA and subject.
    const triggers = evs.filter((e) => e.type === 'watch-trigger');
    expect(triggers.at(-1)).toEqual({ type: 'watch-trigger', sha: last, subject: 'commit 20' });
    expect(triggers).toHaveLength(starts.length);
    expect(current(repo, 'dev')).toBe(last);
  });

  it('restart lets the step in flight finish, runs nothing after it, then runs the new commit', async () => {
    repo = appRepo(`  dev:
    steps:
      - push: shop
      - run: sleep 1.5; echo slept
      - deploy: dev
`);
    const first = repo.head();
    const w = startWatch(repo, ['dev', '--on-new-commit', 'restart']);
    await w.until((e) => e.some((x) => x.type === 'step-start' && x.step === 'run-1'));
    const t0 = Date.now();
    const next = repo.commit('next', { 'src/app.txt': 'next\n' });
    await w.until((e) => runStarts(e).length === 2);
    expect(Date.now() - t0).toBeLessThan(6_000);
    const evs = w.evs();
    const firstRun = (runStarts(evs)[0] as { run: string }).run;
    const ofFirst = evs.filter((e) => 'run' in e && e.run === firstRun && e.type === 'step-end');
    // The run step is not killed: it ends on its own, then the deploy is reported as not run.
    expect(ofFirst.map((e) => (e as { step: string }).step)).toEqual(['push-shop', 'run-1', 'deploy-dev']);
    expect(ofFirst[1]).toMatchObject({ status: 'succeeded', detail: 'exited 0: slept' });
    expect(ofFirst[2]).toMatchObject({ status: 'not-run', detail: `not run: the run was stopped: new commit ${next.slice(0, 7)}` });
    expect(runEnds(evs)[0]).toMatchObject({ run: firstRun, status: 'interrupted' });
    expect(runStarts(evs)[1]).toMatchObject({ rev: next });
    expect(current(repo, 'dev')).toBeUndefined();
    expect(first).not.toBe(next);
    neverOverlap(evs);
    const res = await w.stop();
    expect(res.code).toBe(130);
    expect(runEnds(w.evs()).at(-1)).toMatchObject({ status: 'interrupted' });
  });

  it('work-tree edits, staging and status trigger nothing; a commit does', async () => {
    repo = appRepo(SLOW(0));
    const w = startWatch(repo, ['dev']);
    await w.until((e) => runEnds(e).length === 1);
    repo.write({ 'src/app.txt': 'edited, not committed\n', 'src/new.txt': 'untracked\n' });
    repo.git('add', 'src/app.txt');
    repo.git('status');
    await sleep(1_200);
    expect(runStarts(w.evs())).toHaveLength(1);
    // The positive control: committing what was staged starts a run for it.
    const sha = repo.commit('now committed');
    await w.until((e) => runEnds(e).length === 2);
    expect(runStarts(w.evs())[1]).toMatchObject({ rev: sha });
    const res = await w.stop();
    expect(res.code).toBe(130);
    expect(res.stderr).toContain('watch stopped');
    // Each run of the watch is journaled (SPEC §12).
    const journals = readdirSync(join(repo.dir, '.ionflow/runs')).sort();
    expect(journals).toEqual(
      runStarts(w.evs())
        .map((e) => `${(e as { run: string }).run}.jsonl`)
        .sort(),
    );
  });
});
