// A repository for ledger tests: one app, local store, groups staging, qa and
// prod (gated on staging), no appspec (deployments are quick), and a git
// user.email, which the ledger records as who deployed.
import { deployYaml } from './app-repo.js';
import { runCli } from './cli.js';
import { makeRepo, type TempRepo } from './repo.js';

export const TEAM_YAML = deployYaml(
  `  promote:
    steps:
      - deploy: prod
  ship:
    steps:
      - push: shop
      - deploy: staging
      - wait: staging
      - deploy: prod
`,
  { staging: [], qa: [], prod: ['promote-from: staging'] },
);

export function teamRepo(yaml = TEAM_YAML): { repo: TempRepo; cli: (...args: string[]) => ReturnType<typeof runCli> } {
  const repo = makeRepo({ 'deploy.yaml': yaml, '.gitignore': '.ionflow/\n', 'src/app.clj': '(ns app)\n' }, { commit: false });
  repo.git('config', 'user.email', 'alice@example.com');
  repo.commit('First version');
  return { repo, cli: (...args: string[]) => runCli(args, { cwd: repo.dir, env: repo.env }) };
}
