// Watch latency: from `git commit` returning to the run-start event of the
// run for that commit, with the default 200 ms debounce. Target median ≤ 300 ms.
import { spawn } from 'node:child_process';
import { BIN, localYaml, makeAppRepo, median, ms } from './run.bench.mjs';

const sleep = (t) => new Promise((r) => setTimeout(r, t));

export default async function bench() {
  const repo = makeAppRepo(localYaml(['dev'], '  dev:\n    steps:\n      - push: shop\n      - deploy: dev\n'));
  const child = spawn(process.execPath, [BIN, 'watch', 'dev', '--output', 'jsonl'], { cwd: repo.dir, env: repo.env, stdio: ['ignore', 'pipe', 'ignore'] });
  const seen = [];
  let buffer = '';
  child.stdout.on('data', (d) => {
    buffer += d;
    const lines = buffer.split('\n');
    buffer = lines.pop();
    for (const l of lines) if (l.trim()) seen.push({ at: performance.now(), e: JSON.parse(l) });
  });
  const until = async (pred) => {
    const t0 = performance.now();
    while (!seen.some(pred)) {
      if (performance.now() - t0 > 20_000) throw new Error('watch did not react');
      await sleep(2);
    }
    return seen.find(pred);
  };
  try {
    await until((s) => s.e.type === 'run-end');
    const latencies = [];
    for (let i = 0; i < 10; i++) {
      await sleep(300);
      const sha = repo.commit(`change ${i}`, { 'src/app.txt': `change ${i}\n` });
      const committed = performance.now();
      const start = await until((s) => s.e.type === 'run-start' && s.e.rev === sha);
      latencies.push(start.at - committed);
      await until((s) => s.e.type === 'run-end' && s.e.run === start.e.run);
    }
    const m = median(latencies);
    return [
      { name: 'commit → run-start, debounce 200 ms (median of 10)', value: ms(m), target: '≤ 300 ms', met: m <= 300 },
      { name: 'commit → run-start, min / max', value: `${ms(Math.min(...latencies))} / ${ms(Math.max(...latencies))}` },
    ];
  } finally {
    child.kill('SIGINT');
    await new Promise((r) => child.on('close', r));
    repo.cleanup();
  }
}
