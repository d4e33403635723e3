import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/engine/events.js';
import { toJsonlRecord } from '../../src/engine/events.js';
import { createRenderer } from '../../src/render/renderer.js';
import { resolveOutputMode } from '../../src/render/types.js';
import { pipeline } from '../support/fake-runner.js';

function sink() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d) => {
    text += String(d);
  });
  return { stream, text: () => text };
}

const run = 'r1';
const script: EngineEvent[] = [
  { type: 'watch-trigger', sha: 'a'.repeat(40), subject: 'Fix the cart' },
  { type: 'run-start', run, pipeline: 'dev', rev: 'a'.repeat(40), time: '2026-01-01T00:00:00.000Z' },
  { type: 'step-start', run, step: 'push-shop', kind: 'push', target: 'shop' },
  { type: 'step-progress', run, step: 'push-shop', message: 'written 10 KiB' },
  {
    type: 'step-end',
    run,
    step: 'push-shop',
    status: 'skipped',
    duration_ms: 12,
    detail: 'up to date: aaaaaaa is already in the store',
    facts: { rev: 'a'.repeat(40), store: '/store', uploaded: false },
  },
  { type: 'step-start', run, step: 'deploy-dev', kind: 'deploy', target: 'dev' },
  {
    type: 'step-end',
    run,
    step: 'deploy-dev',
    status: 'succeeded',
    duration_ms: 1500,
    detail: 'deployed aaaaaaa',
    facts: { group: 'dev', 'execution-arn': 'arn:ionflow:local:dev:d-1', 'deploy-status': 'SUCCEEDED' },
  },
  { type: 'step-start', run, step: 'run-1', kind: 'run', target: 'make smoke' },
  { type: 'log', run, step: 'run-1', line: 'checking' },
  {
    type: 'step-end',
    run,
    step: 'run-1',
    status: 'failed',
    duration_ms: 30,
    detail: 'make smoke exited with 2',
    error: { kind: 'stepFailed', message: 'make smoke exited with 2', output: 'checking\nsmoke test failed' },
  },
  { type: 'step-end', run, step: 'wait-dev', status: 'not-run', duration_ms: 0, detail: 'not run: needs run-1, which failed' },
  { type: 'run-end', run, status: 'failed', duration_ms: 1600, error: 'step run-1 failed: make smoke exited with 2' },
];

describe('renderers', () => {
  it('jsonl carries exactly the SPEC §8 fields, facts as fields, one object per line, nothing for progress', async () => {
    const out = sink();
    const err = sink();
    const r = await createRenderer('jsonl', { pipeline: pipeline('dev', []), stdout: out.stream, stderr: err.stream, env: {} });
    for (const e of script) r.event(e);
    await r.settled();
    const lines = out
      .text()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.type)).toEqual([
      'watch-trigger',
      'run-start',
      'step-start',
      'step-end',
      'step-start',
      'step-end',
      'step-start',
      'log',
      'step-end',
      'step-end',
      'run-end',
    ]);
    expect(lines[3]).toEqual({
      type: 'step-end',
      run,
      step: 'push-shop',
      status: 'skipped',
      duration_ms: 12,
      detail: 'up to date: aaaaaaa is already in the store',
      rev: 'a'.repeat(40),
      store: '/store',
      uploaded: false,
    });
    expect(lines[5]).toMatchObject({ group: 'dev', 'execution-arn': 'arn:ionflow:local:dev:d-1', 'deploy-status': 'SUCCEEDED' });
    expect(lines[7]).toEqual({ type: 'log', run, step: 'run-1', line: 'checking' });
    expect(lines[8]).toMatchObject({ status: 'failed', error: 'make smoke exited with 2' });
    expect(lines[8]).not.toHaveProperty('output');
    expect(lines[9]).toEqual({ type: 'step-end', run, step: 'wait-dev', status: 'not-run', duration_ms: 0, detail: 'not run: needs run-1, which failed' });
    expect(lines[10]).toEqual({ type: 'run-end', run, status: 'failed', duration_ms: 1600, error: 'step run-1 failed: make smoke exited with 2' });
    expect(lines[0]).toEqual({ type: 'watch-trigger', sha: 'a'.repeat(40), subject: 'Fix the cart' });
    expect(err.text()).toBe('');
    expect(toJsonlRecord({ type: 'run-start', run, pipeline: 'p', uname: 'wip', time: 't' })).toEqual({
      type: 'run-start',
      run,
      pipeline: 'p',
      uname: 'wip',
      time: 't',
    });
  });

  it('plain lines go to stderr: progress, the failed step’s output, and a summary with the revision and where it went', async () => {
    const out = sink();
    const err = sink();
    const r = await createRenderer('plain', { pipeline: pipeline('dev', []), stdout: out.stream, stderr: err.stream, env: { NO_COLOR: '1' } });
    for (const e of script) r.event(e);
    const text = err.text();
    expect(out.text()).toBe('');
    expect(text).toContain('▶ commit aaaaaaa Fix the cart');
    expect(text).toContain('push-shop: written 10 KiB');
    expect(text).toContain('run-1: checking');
    expect(text).toContain('↓ push-shop up to date');
    expect(text).toContain('│ smoke test failed');
    expect(text).toMatch(/Pipeline dev failed in 1\.6s/);
    expect(text).toMatch(/- wait-dev +not run +not run: needs run-1/);
    expect(text).toContain(`revision: ${'a'.repeat(40)}`);
    expect(text).toContain('dev: deployed (arn:ionflow:local:dev:d-1)');
  });

  it('colours only a terminal, and never with NO_COLOR', async () => {
    const paintOf = async (isTTY: boolean, env: NodeJS.ProcessEnv) => {
      const err = sink();
      Object.assign(err.stream, { isTTY });
      const r = await createRenderer('plain', { pipeline: pipeline('dev', []), stdout: sink().stream, stderr: err.stream, env });
      for (const e of script) r.event(e);
      return err.text().includes(`${String.fromCharCode(27)}[`);
    };
    expect(await paintOf(true, {})).toBe(true);
    expect(await paintOf(true, { NO_COLOR: '1' })).toBe(false);
    expect(await paintOf(false, {})).toBe(false);
  });

  it('auto picks the live renderer on a terminal, plain lines without one or under CI', () => {
    expect(resolveOutputMode('auto', { isTTY: true }, {})).toBe('tty');
    expect(resolveOutputMode('auto', { isTTY: true }, { CI: 'true' })).toBe('plain');
    expect(resolveOutputMode('auto', { isTTY: true }, { CI: 'false' })).toBe('tty');
    expect(resolveOutputMode('auto', { isTTY: false }, {})).toBe('plain');
    expect(resolveOutputMode(undefined, { isTTY: false }, {})).toBe('plain');
    expect(resolveOutputMode('tty', { isTTY: false }, { CI: '1' })).toBe('tty');
    expect(resolveOutputMode('jsonl', { isTTY: true }, {})).toBe('jsonl');
  });
});
