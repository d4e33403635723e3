import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { StepEndEvent } from '../../src/engine/events.js';
import { appRepo, current, DEV, events, kinds } from '../support/app-repo.js';
import { SEQUENTIAL_DEV } from '../support/fake-runner.js';
import { BIN, runCli } from '../support/cli.js';
import type { TempRepo } from '../support/repo.js';

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

const ionflow = (r: TempRepo, args: string[], env: NodeJS.ProcessEnv = {}) => runCli(args, { cwd: r.dir, env: { ...r.env, ...env } });
const ends = (stdout: string) =>
  Object.fromEntries(
    events(stdout)
      .filter((e): e is StepEndEvent => e.type === 'step-end')
      .map((e) => [e.step, e]),
  );

describe('ionflow run', () => {
  it('runs push → deploy → wait in order, then skips push and deploy on a second run', async () => {
    repo = appRepo();
    const first = await ionflow(repo, ['run', 'dev', '--output', 'jsonl']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const evs = events(first.stdout);
    expect(kinds(evs)).toEqual(SEQUENTIAL_DEV);
    expect(evs[0]).toMatchObject({ type: 'run-start', pipeline: 'dev', rev: repo.head() });
    expect(Object.keys(evs[0]!).sort()).toEqual(['pipeline', 'rev', 'run', 'time', 'type']);
    expect(evs[1]).toEqual({ type: 'step-start', run: evs[0]!.type === 'run-start' ? evs[0]!.run : '', step: 'push-shop', kind: 'push', target: 'shop' });
    expect(Object.keys(evs[2]!).sort()).toEqual(['detail', 'duration_ms', 'rev', 'run', 'status', 'step', 'store', 'type', 'uploaded']);
    expect(evs.at(-1)).toMatchObject({ type: 'run-end', status: 'succeeded' });
    expect(current(repo, 'dev')).toBe(repo.head());

    const second = await ionflow(repo, ['run', 'dev', '--output', 'jsonl']);
    expect(second.code).toBe(0);
    const e = ends(second.stdout);
    expect(e['push-shop']).toMatchObject({ status: 'skipped' });
    expect(e['push-shop']!.detail).toMatch(/^up to date/);
    expect(e['deploy-dev']).toMatchObject({ status: 'skipped' });
    expect(e['wait-dev']?.status).toBe('succeeded');
    expect(readdirSync(join(repo.dir, '.ionflow/groups/dev/deployments'))).toHaveLength(1);

    const forced = await ionflow(repo, ['run', 'dev', '--output', 'jsonl', '--force']);
    expect(ends(forced.stdout)['deploy-dev']?.status).toBe('succeeded');
  });

  it('fans out: pushes once, deploys to three groups in parallel, waits on each', async () => {
    const fan = `  fan:
    steps:
      - push: shop
      - { deploy: a, needs: [push-shop] }
      - { deploy: b, needs: [push-shop] }
      - { deploy: c, needs: [push-shop] }
      - { wait: a, needs: [deploy-a] }
      - { wait: b, needs: [deploy-b] }
      - { wait: c, needs: [deploy-c] }
`;
    repo = appRepo(fan, ['a', 'b', 'c']);
    const res = await ionflow(repo, ['run', 'fan', '--output', 'jsonl']);
    expect(res.code).toBe(0);
    const k = kinds(events(res.stdout));
    expect(k.filter((x) => x === 'step-start:push-shop')).toHaveLength(1);
    for (const g of ['a', 'b', 'c']) {
      expect(k.indexOf('step-end:push-shop')).toBeLessThan(k.indexOf(`step-start:deploy-${g}`));
      expect(k.indexOf(`step-end:deploy-${g}`)).toBeLessThan(k.indexOf(`step-start:wait-${g}`));
      expect(current(repo, g)).toBe(repo.head());
    }
    // All three deploys start before the first one ends: they run in parallel.
    const firstDeployEnd = Math.min(...['a', 'b', 'c'].map((g) => k.indexOf(`step-end:deploy-${g}`)));
    expect(Math.max(...['a', 'b', 'c'].map((g) => k.indexOf(`step-start:deploy-${g}`)))).toBeLessThan(firstDeployEnd);
    expect(k.at(-1)).toBe('run-end');
  });

  it('a failing step stops its dependants only, shows its output, and exits 1', async () => {
    const p = `  mixed:
    steps:
      - { run: 'echo checking; echo broken >&2; exit 3', id: lint, needs: [] }
      - { run: [echo, after-lint], id: after-lint, needs: [lint] }
      - { push: shop, needs: [] }
      - deploy: dev
`;
    repo = appRepo(p);
    const res = await ionflow(repo, ['run', 'mixed', '--output', 'jsonl']);
    expect(res.code).toBe(1);
    const e = ends(res.stdout);
    expect(e.lint).toMatchObject({ status: 'failed' });
    expect(e.lint).toMatchObject({ error: expect.stringMatching(/exited with 3$/) });
    expect(e['after-lint']).toMatchObject({ status: 'not-run', detail: 'not run: needs lint, which failed' });
    expect(e['after-lint']).not.toHaveProperty('error');
    // Each line the run step prints is a log event (SPEC §8).
    const logs = events(res.stdout).filter((l) => l.type === 'log');
    expect(
      logs
        .filter((l) => l.step === 'lint')
        .map((l) => l.line)
        .sort(),
    ).toEqual(['broken', 'checking']);
    expect(Object.keys(logs[0]!).sort()).toEqual(['line', 'run', 'step', 'type']);
    // A failed step starts nothing new (SPEC §3): the push already running finishes; the deploy
    // after it starts only if the push ended before lint failed (it normally takes longer).
    expect(e['push-shop']?.status).toBe('succeeded');
    const order = kinds(events(res.stdout));
    if (order.indexOf('step-end:lint') < order.indexOf('step-end:push-shop')) {
      expect(e['deploy-dev']).toMatchObject({ status: 'not-run', detail: 'not run: lint failed' });
      expect(order).not.toContain('step-start:deploy-dev');
    }
    expect(kinds(events(res.stdout))).not.toContain('step-start:after-lint');
    expect(events(res.stdout).at(-1)).toMatchObject({ type: 'run-end', status: 'failed', error: expect.stringMatching(/^step lint failed: .*exited with 3$/) });
    expect(res.stderr).toMatch(/^error: step lint failed: .*exited with 3/m);

    const plain = await ionflow(repo, ['run', 'mixed', '--output', 'plain']);
    expect(plain.stdout).toBe('');
    expect(plain.stderr).toContain('│ broken');
    expect(plain.stderr).toMatch(/- after-lint +not run/);
  });

  it('plain output shows every line a run step prints; a program that cannot start says why', async () => {
    const p = `  lines:
    steps:
      - run: "printf 'line-1\\nline-2\\nline-3\\n'"
      - run: [no-such-binary-xyz, --version]
`;
    repo = appRepo(p);
    const res = await ionflow(repo, ['run', 'lines', '--output', 'plain']);
    expect(res.code).toBe(1);
    for (const l of ['line-1', 'line-2', 'line-3']) expect(res.stderr).toContain(`run-1: ${l}`);
    expect(res.stderr).toMatch(/^error: step run-2 failed: cannot start no-such-binary-xyz: not found \(ENOENT\)$/m);
    expect(res.stderr).not.toContain('could not start)');
  });

  it('run steps get the IONFLOW_* variables, the app root as folder, no shell for argv', async () => {
    const p = `  env:
    steps:
      - push: shop
      - run: 'echo "$IONFLOW_PIPELINE $IONFLOW_REV $IONFLOW_APP $IONFLOW_RUN_ID $(pwd)" > out.txt'
      - run: [sh, -c, 'printf "%s" "$1" > argv.txt', sh, '$IONFLOW_REV']
`;
    repo = appRepo(p);
    const res = await ionflow(repo, ['run', 'env', '--output', 'jsonl']);
    expect(res.code).toBe(0);
    const runId = (events(res.stdout)[0] as { run: string }).run;
    const out = execFileSync('cat', [join(repo.dir, 'out.txt')], { encoding: 'utf8' }).trim();
    expect(out).toBe(`env ${repo.head()} shop ${runId} ${repo.dir}`);
    expect(execFileSync('cat', [join(repo.dir, 'argv.txt')], { encoding: 'utf8' })).toBe('$IONFLOW_REV');
  });

  it('refuses a confirm step without a terminal (exit 3) before pushing anything; --yes answers it', async () => {
    const p = `${DEV}  guarded:
    steps:
      - confirm: Deploy to dev?
      - push: shop
`;
    repo = appRepo(p);
    const res = await ionflow(repo, ['run', 'guarded', '--output', 'jsonl']);
    expect(res.code).toBe(3);
    expect(res.stderr).toMatch(/^error: confirm step "Deploy to dev\?" needs an answer/m);
    expect(res.stderr).toMatch(/^hint: pass --yes/m);
    expect(existsSync(join(repo.dir, '.ionflow/store'))).toBe(false);
    const yes = await ionflow(repo, ['run', 'guarded', '--yes', '--output', 'jsonl']);
    expect(yes.code).toBe(0);
    expect(ends(yes.stdout)['confirm-1']?.status).toBe('succeeded');
  });

  it('exits 2 for an unknown pipeline and 3 for a dirty tree', async () => {
    repo = appRepo();
    const unknown = await ionflow(repo, ['run', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error: unknown pipeline nope; deploy.yaml has dev/m);
    repo.write({ 'src/app.txt': 'changed\n' });
    const dirty = await ionflow(repo, ['run', 'dev', '--output', 'jsonl']);
    expect(dirty.code).toBe(3);
    expect(dirty.stderr).toMatch(/You must either specify a uname or push from a clean git commit/);
    const uname = await ionflow(repo, ['run', 'dev', '--uname', 'wip-1', '--output', 'jsonl']);
    expect(uname.code).toBe(0);
    expect(events(uname.stdout)[0]).toMatchObject({ type: 'run-start', uname: 'wip-1' });
    expect(current(repo, 'dev')).toBe('wip-1');
  });

  it('a push after a step that commits or edits takes HEAD and the tree as they are when the push starts', async () => {
    const p = `  bump:
    steps:
      - run: git commit -q --allow-empty -m bump
      - push: shop
      - deploy: dev
  edit:
    steps:
      - run: echo more >> src/app.txt
      - push: shop
`;
    repo = appRepo(p);
    const before = repo.head();
    const bumped = await ionflow(repo, ['run', 'bump', '--output', 'jsonl']);
    expect(bumped.code).toBe(0);
    const after = repo.head();
    expect(after).not.toBe(before);
    expect(events(bumped.stdout)[0]).toMatchObject({ type: 'run-start', rev: before });
    expect(ends(bumped.stdout)['push-shop']).toMatchObject({ status: 'succeeded', rev: after });
    expect(current(repo, 'dev')).toBe(after);

    const edited = await ionflow(repo, ['run', 'edit', '--output', 'jsonl']);
    expect(edited.code).toBe(3);
    expect(ends(edited.stdout)['push-shop']?.status).toBe('failed');
    expect(edited.stderr).toMatch(/You must either specify a uname or push from a clean git commit/);
  });

  it('without git on PATH, preflight says git cannot be run and nothing is pushed (exit 3)', async () => {
    repo = appRepo();
    const res = await ionflow(repo, ['run', 'dev', '--output', 'jsonl'], { PATH: repo.home });
    expect(res.code).toBe(3);
    expect(res.stderr).toMatch(/^FAILED +git: git cannot be run: git --version could not start: .*ENOENT.* — fix: install git and put it on PATH$/m);
    expect(res.stderr).toMatch(/^error: preflight: 2 of \d+ checks failed; nothing was pushed or deployed$/m);
    expect(existsSync(join(repo.dir, '.ionflow/store'))).toBe(false);
  });

  it('SIGINT stops the run at the step in flight: run-end interrupted, exit 130, nothing after it', async () => {
    const p = `  slow:
    steps:
      - run: sleep 20
      - push: shop
`;
    repo = appRepo(p);
    let sent = false;
    const res = await runCli(['run', 'slow', '--output', 'jsonl'], {
      cwd: repo.dir,
      env: repo.env,
      onSpawn: (child) =>
        child.stdout?.on('data', (d: Buffer) => {
          if (!sent && String(d).includes('step-start')) {
            sent = true;
            setTimeout(() => child.kill('SIGINT'), 100);
          }
        }),
    });
    expect(res.code).toBe(130);
    const evs = events(res.stdout);
    expect(evs.at(-1)).toMatchObject({ type: 'run-end', status: 'interrupted' });
    expect(ends(res.stdout)['push-shop']).toMatchObject({ detail: 'not run: the run was interrupted' });
    expect(existsSync(join(repo.dir, '.ionflow/store'))).toBe(false);
  });

  it('draws listr2’s live renderer in a pseudo-terminal, then the summary', async () => {
    repo = appRepo();
    const out = execFileSync('script', ['-qfec', `stty cols 160 rows 40; ${process.execPath} ${BIN} run dev --output auto`, '/dev/null'], {
      cwd: repo.dir,
      env: { ...repo.env, CI: '', NO_COLOR: '1' },
      encoding: 'utf8',
    });
    // listr2's frames: hidden cursor while live, its tick icon per task, the frame erased and redrawn.
    expect(out).toContain('\u001b[?25l');
    expect(out).toMatch(/✔ push-shop .*pushed [0-9a-f]{7}/);
    expect(out).toMatch(/✔ deploy-dev .*arn:ionflow:local:dev:/);
    expect(out).toContain('\u001b[2K');
    expect(out).toContain('Pipeline dev succeeded');
    expect(out).toContain(`revision: ${repo.head()}`);
    expect(out).toMatch(/dev: deployed \(arn:ionflow:local:dev:/);
    // NO_COLOR: no colour codes, only cursor control.
    expect(out).not.toMatch(new RegExp(`${String.fromCharCode(27)}\\[3\\dm`));
  });

  it('asks a confirm step on a terminal: y runs what follows, n fails the run (exit 1)', async () => {
    const p = `  ask:
    steps:
      - confirm: Ship it?
      - run: echo shipped > shipped.txt
`;
    repo = appRepo(p);
    const ask = (key: string) =>
      execFileSync(
        'sh',
        ['-c', `(sleep 1.5; printf ${key}) | script -qfec "stty cols 120; ${process.execPath} ${BIN} run ask --output plain; echo EXIT=\\$?" /dev/null`],
        {
          cwd: repo!.dir,
          env: { ...repo!.env, CI: '' },
          encoding: 'utf8',
        },
      );
    const no = ask('n');
    expect(no).toContain('Ship it? [y/N]');
    expect(no).toContain('EXIT=1');
    expect(no).toMatch(/error: step confirm-1 failed: declined: Ship it\?/);
    expect(existsSync(join(repo.dir, 'shipped.txt'))).toBe(false);
    const yes = ask('y');
    expect(yes).toContain('EXIT=0');
    expect(existsSync(join(repo.dir, 'shipped.txt'))).toBe(true);
  });

  it('loads listr2 only for the live renderer, and no AWS SDK on a local config', async () => {
    repo = appRepo();
    const hook = fileURLToPath(new URL('../fixtures/config/record-loads.mjs', import.meta.url));
    const loads = async (output: string) => {
      const file = join(repo!.home, `loads-${output}.txt`);
      const res = await ionflow(repo!, ['run', 'dev', '--output', output], { NODE_OPTIONS: `--import=${hook}`, IONFLOW_RECORD_LOADS: file });
      expect(res.code, res.stderr).toBe(0);
      return readFileSync(file, 'utf8').split('\n').filter(Boolean);
    };
    const plain = await loads('plain');
    expect(plain.some((u) => /\/dist\/lazy\/ionflow-run-[\w-]+\.cjs$/.test(u))).toBe(true);
    expect(plain.filter((u) => /@aws-sdk|listr2/.test(u))).toEqual([]);
    const tty = await loads('tty');
    expect(tty.some((u) => /listr2/.test(u))).toBe(true);
    expect(tty.filter((u) => /@aws-sdk/.test(u))).toEqual([]);
  });

  it('auto output is plain lines on stderr when CI is set, stdout stays empty', async () => {
    repo = appRepo();
    const res = await ionflow(repo, ['run', 'dev'], { CI: 'true' });
    expect(res.code).toBe(0);
    expect(res.stdout).toBe('');
    expect(res.stderr).toMatch(/▸ push-shop push shop/);
    expect(res.stderr).toMatch(/✔ deploy-dev deployed [0-9a-f]{7}/);
    expect(res.stderr).toContain('Pipeline dev succeeded');
  });
});
