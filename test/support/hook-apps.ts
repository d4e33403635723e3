// Apps whose appspec hooks misbehave the way real scripts do (sleep, start
// background processes, ignore SIGTERM, print a lot), pushed and ready to
// deploy through the CLI, plus what the tests look at afterwards: the
// deployment's history, and whether a process is still alive.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './cli.js';
import type { TempRepo } from './repo.js';
import { appspec, cliRepo, commitApp, DEPLOY_YAML } from './deploy-fixtures.js';

export interface HookApp {
  repo: TempRepo;
  rev: string;
  opts: { cwd: string; env: NodeJS.ProcessEnv };
  /** A file the hooks may write a pid to ($PID_FILE). */
  pidFile: string;
  deployArgs: string[];
}

const PIPELINE = `pipelines:
  ship:
    steps:
      - push: sample
      - deploy: dev
  say:
    steps:
      - run: echo "secret=$AWS_SECRET_ACCESS_KEY"
`;

/** One hook event → one script (`scripts/<name>`), with a timeout in seconds; committed and pushed. */
export async function hookApp(event: string, script: string, timeoutS: number): Promise<HookApp> {
  const app = cliRepo();
  const pidFile = join(app.repo.home, 'service.pid');
  const rev = commitApp(
    app.repo,
    'hooks',
    {
      'deploy.yaml': `${DEPLOY_YAML}${PIPELINE}`,
      'appspec.yml': appspec({ [event]: 'scripts/hook-under-test.sh' }, timeoutS),
      'scripts/hook-under-test.sh': script,
    },
    ['scripts/hook-under-test.sh'],
  );
  const opts = { cwd: app.repo.dir, env: { ...app.env, PID_FILE: pidFile } };
  const pushed = await runCli(['push'], opts);
  if (pushed.code !== 0) throw new Error(`push failed: ${pushed.stderr}`);
  return { repo: app.repo, rev, opts, pidFile, deployArgs: ['deploy', '--group', 'dev', '--rev', rev] };
}

/** `ionflow history dev --json`, newest first. */
export async function history(app: HookApp): Promise<Record<string, unknown>[]> {
  const res = await runCli(['history', 'dev', '--json'], app.opts);
  return JSON.parse(res.stdout) as Record<string, unknown>[];
}

/** Alive, and not a zombie (where PID 1 does not reap orphans, killed ones linger as zombies). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]!);
  } catch {
    return false;
  }
}

export const readPid = (app: HookApp): number => Number(readFileSync(app.pidFile, 'utf8').trim());
