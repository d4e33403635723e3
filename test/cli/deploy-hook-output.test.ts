// Hook output as it happens (SPEC §13): plain prints `<step> <event>: <line>`,
// jsonl a `log` event, both while the hook still runs; the record keeps a
// bounded tail however much a hook prints; known credentials never show
// (SPEC §17).
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { BIN, runCli } from '../support/cli.js';
import { type HookApp, history, hookApp } from '../support/hook-apps.js';

let app: HookApp | undefined;
afterEach(() => app?.repo.cleanup());

// Prints a line, then waits for the test to answer it: only output that is shown live lets it finish.
const WAITS_FOR_GO = '#!/bin/sh\necho "first line"\nwhile [ ! -e "$GO_FILE" ]; do sleep 0.05; done\necho "second line"\n';

async function runLive(output: 'plain' | 'jsonl', seen: (text: string) => boolean) {
  app = await hookApp('ApplicationStart', WAITS_FOR_GO, 10);
  const go = join(app.repo.home, 'go');
  let shownLive = false;
  const res = await runCli(['run', 'ship', '--output', output], {
    cwd: app.opts.cwd,
    env: { ...app.opts.env, GO_FILE: go },
    onSpawn: (child) => {
      let text = '';
      const watch = (d: Buffer) => {
        text += String(d);
        if (!shownLive && seen(text)) {
          shownLive = true;
          writeFileSync(go, '');
        }
      };
      child.stdout!.on('data', watch);
      child.stderr!.on('data', watch);
    },
  });
  expect(res.code, res.stderr).toBe(0);
  expect(shownLive).toBe(true);
  return res;
}

it('plain output prints each hook line as it arrives, as <step> <event>: <line>', async () => {
  const res = await runLive('plain', (text) => text.includes('deploy-dev ApplicationStart: first line'));
  expect(res.stderr).toContain('deploy-dev ApplicationStart: second line');
});

it('jsonl sends each hook line as it arrives, as a log event with its lifecycle event', async () => {
  const res = await runLive('jsonl', (text) => text.includes('"line":"first line"'));
  const logs = res.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((e) => e.type === 'log');
  const run = logs[0]?.run;
  expect(typeof run).toBe('string');
  expect(logs).toEqual([
    { type: 'log', run, step: 'deploy-dev', event: 'ApplicationStart', line: 'first line' },
    { type: 'log', run, step: 'deploy-dev', event: 'ApplicationStart', line: 'second line' },
  ]);
});

it('a hook printing 50 MB: ionflow stays small, the record keeps the tail', async () => {
  // 50,000 lines of 1,000 characters, then a last line.
  const loud = '#!/bin/sh\nline=$(head -c 999 /dev/zero | tr \'\\0\' x)\nyes "$line" | head -n 50000\necho LAST-LINE\n';
  app = await hookApp('AfterInstall', loud, 30);
  const child = spawn(process.execPath, [BIN, ...app.deployArgs], { cwd: app.opts.cwd, env: app.opts.env, stdio: 'ignore' });
  let peakKb = 0;
  const sample = setInterval(() => {
    try {
      const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0);
      peakKb = Math.max(peakKb, kb);
    } catch {
      // exited
    }
  }, 20);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(sample);
  expect(code).toBe(0);
  // Node and ionflow's modules take ~60-90 MB; holding the output would add 50 MB or more.
  expect(peakKb).toBeGreaterThan(0);
  expect(peakKb / 1024).toBeLessThan(130);
  const [latest] = await history(app);
  const tail = String((latest!.hooks as Record<string, unknown>[])[0]!['output-tail']);
  expect(tail.endsWith('LAST-LINE')).toBe(true);
  expect(tail.length).toBeLessThan(10_000);
});

it('known credentials are masked in hook output, on screen and in the record, and in run step output', async () => {
  app = await hookApp('ValidateService', '#!/bin/sh\necho "key=$AWS_SECRET_ACCESS_KEY token=$AWS_SESSION_TOKEN"\nexit 1\n', 10);
  const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  const token = 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN0123456789';
  const opts = { cwd: app.opts.cwd, env: { ...app.opts.env, AWS_SECRET_ACCESS_KEY: secret, AWS_SESSION_TOKEN: token } };
  const res = await runCli(app.deployArgs, opts);
  expect(res.code).toBe(1);
  expect(res.stderr).toContain('ValidateService: key=**** token=****');
  const recorded = (await runCli(['history', 'dev', '--json'], opts)).stdout;
  expect(recorded).toContain('key=**** token=****');
  const ran = await runCli(['run', 'say', '--output', 'plain'], opts);
  expect(ran.code, ran.stderr).toBe(0);
  expect(ran.stderr).toContain('secret=****');
  for (const text of [res.stdout, res.stderr, recorded, ran.stdout, ran.stderr]) {
    expect(text).not.toContain(secret);
    expect(text).not.toContain(token);
  }
});
