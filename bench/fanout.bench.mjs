// Fan-out: push once, then deploy to 4 local groups in parallel and wait on
// each, against the same pipeline deploying to one group. Each deployment runs
// an AfterInstall hook of 300 ms, as real installs take time. Every iteration
// deploys a new commit, so nothing is skipped. Target: 4 groups ≤ 1.3× one.
import { localYaml, makeAppRepo, median, ms, timeCli } from './run.bench.mjs';

const pipelines = `  one:
    steps:
      - push: shop
      - deploy: a
      - wait: a
  four:
    steps:
      - push: shop
      - { deploy: a, needs: [push-shop] }
      - { deploy: b, needs: [push-shop] }
      - { deploy: c, needs: [push-shop] }
      - { deploy: d, needs: [push-shop] }
      - { wait: a, needs: [deploy-a] }
      - { wait: b, needs: [deploy-b] }
      - { wait: c, needs: [deploy-c] }
      - { wait: d, needs: [deploy-d] }
`;
const files = {
  'appspec.yml': 'version: 0.0\nos: linux\nhooks:\n  AfterInstall:\n    - location: scripts/install.sh\n      timeout: 60\n',
  'scripts/install.sh': '#!/bin/sh\nsleep 0.3\n',
};

export default async function bench() {
  const repo = makeAppRepo(localYaml(['a', 'b', 'c', 'd'], pipelines), files);
  try {
    const one = [];
    const four = [];
    for (let i = 0; i < 5; i++) {
      repo.commit(`one ${i}`, { 'src/app.txt': `one ${i}\n` });
      one.push(await timeCli(repo, ['run', 'one', '--output', 'plain']));
      repo.commit(`four ${i}`, { 'src/app.txt': `four ${i}\n` });
      four.push(await timeCli(repo, ['run', 'four', '--output', 'plain']));
    }
    const ratio = median(four) / median(one);
    return [
      { name: 'push + deploy + wait, 1 local group (median of 5)', value: ms(median(one)) },
      { name: 'push + deploy + wait, 4 local groups in parallel (median of 5)', value: ms(median(four)) },
      { name: 'ratio 4 groups / 1 group', value: `${ratio.toFixed(2)}×`, target: '≤ 1.3×', met: ratio <= 1.3 },
    ];
  } finally {
    repo.cleanup();
  }
}
