// A repository for ledger tests: one app, local store, groups staging, qa and
// prod (gated on staging), no appspec (deployments are quick), and a git
// user.email, which the ledger records as who deployed.
import { makeRepo, type TempRepo } from '../support/repo.js';
import { runCli } from '../support/cli.js';

export const TEAM_YAML = `version: 1
apps:
  shop:
    store:
      local: .ionflow/store
groups:
  staging:
    app: shop
    local: .ionflow/groups/staging
  qa:
    app: shop
    local: .ionflow/groups/qa
  prod:
    app: shop
    local: .ionflow/groups/prod
    promote-from: staging
pipelines:
  promote:
    steps:
      - deploy: prod
  ship:
    steps:
      - push: shop
      - deploy: staging
      - wait: staging
      - deploy: prod
`;

export function teamRepo(yaml = TEAM_YAML): { repo: TempRepo; cli: (...args: string[]) => ReturnType<typeof runCli> } {
  const repo = makeRepo({ 'deploy.yaml': yaml, '.gitignore': '.ionflow/\n', 'src/app.clj': '(ns app)\n' }, { commit: false });
  repo.git('config', 'user.email', 'alice@example.com');
  repo.commit('First version');
  return { repo, cli: (...args: string[]) => runCli(args, { cwd: repo.dir, env: repo.env }) };
}
