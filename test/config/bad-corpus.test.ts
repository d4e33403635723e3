// Every bad input in test/fixtures/config/bad/<case>/ (deploy.yaml, maybe an
// ion-config.edn) must make `ionflow validate` exit 2 and report exactly the
// problems listed in the case's `expected` file: same file:LINE:COL, same message.
// The corpus runs main() in-process (the exit code bin/ionflow.js exits with)
// to stay fast; the last tests spawn the built binary.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { runCli } from '../support/cli.js';

async function validateIn(cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const capture = () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (d: Buffer) => {
      text += d.toString('utf8');
    });
    return { stream, text: () => text };
  };
  const out = capture();
  const err = capture();
  const code = await main(['validate'], { stdout: out.stream, stderr: err.stream, cwd, signal: new AbortController().signal });
  await new Promise((resolve) => setImmediate(resolve)); // let the streams deliver what was written
  return { code, stdout: out.text(), stderr: err.text() };
}

const BAD = join(import.meta.dirname, '../fixtures/config/bad');
const cases = readdirSync(BAD).sort();
const PROBLEM_LINE = /^\S+:\d+:\d+: /;

describe('ionflow validate on the bad corpus', () => {
  it('has at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases)('%s', async (name) => {
    const dir = join(BAD, name);
    const expected = readFileSync(join(dir, 'expected'), 'utf8').trim().split('\n');
    const r = await validateIn(dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n');
    expect(lines[0]).toMatch(/^error: \d+ problems? in /);
    expect(lines.filter((l) => PROBLEM_LINE.test(l))).toEqual(expected);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace without --debug
  });
});

describe('problem output (built binary)', () => {
  it('prints a three-line code frame with a caret under the column', async () => {
    const r = await runCli(['validate'], { cwd: join(BAD, 'unknown-app-key') });
    expect(r.stderr).toBe(
      [
        'error: 1 problem in deploy.yaml',
        "deploy.yaml:4:5: unknown key 'stor'; did you mean 'store'?",
        '  3 |   shop:',
        '> 4 |     stor: x',
        '    |     ^',
        '',
      ].join('\n'),
    );
  });

  it('a mis-indented list item is one problem in plain words, not the parser’s three', async () => {
    const r = await runCli(['validate'], { cwd: join(BAD, 'yaml-item-indented-less') });
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').slice(0, 2)).toEqual([
      'error: 1 problem in deploy.yaml',
      "deploy.yaml:15:5: this item is indented less than the list above it (line 14); line up its '-' with the others",
    ]);
    expect(r.stderr).not.toContain('invalid YAML');
  });

  it('names the file as given with -c, from another folder', async () => {
    const r = await runCli(['-c', 'bad/version-2/deploy.yaml', 'validate'], { cwd: join(BAD, '..') });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad/version-2/deploy.yaml:1:10: unsupported version 2');
  });
});
