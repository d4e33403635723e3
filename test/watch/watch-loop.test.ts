import { describe, expect, it } from 'vitest';
import type { WatchTriggerEvent } from '../../src/engine/events.js';
import { type OnNewCommit, watchLoop } from '../../src/watch/watch-loop.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A fake repository: HEAD moves when the test commits; every commit touches the watched files. */
function harness(mode: OnNewCommit, runMs: number, debounceMs = 30) {
  let head = 'sha-0';
  let onChange: () => void = () => {};
  const controller = new AbortController();
  const runs: { sha: string; start: number; end?: number; aborted?: boolean; stopped?: boolean }[] = [];
  const triggers: WatchTriggerEvent[] = [];
  let active = 0;
  let overlap = false;
  const loop = watchLoop({
    debounceMs,
    onNewCommit: mode,
    signal: controller.signal,
    readHead: async () => head,
    subject: async (sha) => `subject of ${sha}`,
    subscribe: async (cb) => {
      onChange = cb;
      return { close: async () => {} };
    },
    emit: (e) => triggers.push(e),
    runFor: async (sha, signal, stop) => {
      active += 1;
      if (active > 1) overlap = true;
      const run: (typeof runs)[number] = { sha, start: Date.now() };
      runs.push(run);
      // A run of steps of 10 ms: an abort or a stop is noticed at the next step boundary.
      for (let t = 0; t < runMs; t += 10) {
        if (signal.aborted) {
          run.aborted = true;
          break;
        }
        if (stop.aborted) {
          run.stopped = true;
          break;
        }
        await sleep(10);
      }
      run.end = Date.now();
      active -= 1;
      if (sha === 'sha-fail') throw new Error('step failed');
    },
  });
  return {
    loop,
    runs,
    triggers,
    overlap: () => overlap,
    commit(sha: string) {
      head = sha;
      onChange();
    },
    touch: () => onChange(),
    stop: () => controller.abort(),
  };
}

describe('watchLoop', () => {
  it('runs now for HEAD, then folds commits made during a run into one run for the newest (queue)', async () => {
    const h = harness('queue', 300);
    await sleep(50);
    for (let i = 1; i <= 20; i++) {
      h.commit(`sha-${i}`);
      await sleep(5);
    }
    await sleep(900);
    h.stop();
    await h.loop;
    expect(h.runs.map((r) => r.sha)).toEqual(['sha-0', 'sha-20']);
    expect(h.overlap()).toBe(false);
    expect(h.triggers.map((t) => t.sha)).toEqual(['sha-0', 'sha-20']);
    expect(h.triggers[1]?.subject).toBe('subject of sha-20');
  });

  it('debounces commits that arrive while idle into one run', async () => {
    const h = harness('queue', 20, 80);
    await sleep(60);
    h.commit('sha-1');
    await sleep(20);
    h.commit('sha-2');
    await sleep(20);
    h.commit('sha-3');
    await sleep(300);
    h.stop();
    await h.loop;
    expect(h.runs.map((r) => r.sha)).toEqual(['sha-0', 'sha-3']);
  });

  it('restart stops the run in flight at its next step boundary and runs the newest commit', async () => {
    const h = harness('restart', 2_000);
    await sleep(50);
    h.commit('sha-1');
    await sleep(400);
    h.stop();
    await h.loop;
    // A restart asks for the step boundary; it is not the hard abort of SIGINT/SIGTERM.
    expect(h.runs[0]).toMatchObject({ sha: 'sha-0', stopped: true });
    expect(h.runs[0]!.aborted).toBeUndefined();
    expect(h.runs[0]!.end! - h.runs[0]!.start).toBeLessThan(500);
    expect(h.runs[1]?.sha).toBe('sha-1');
    expect(h.runs[1]!.start).toBeGreaterThanOrEqual(h.runs[0]!.end!);
    expect(h.overlap()).toBe(false);
  });

  it('touches that leave HEAD where it was trigger nothing', async () => {
    const h = harness('queue', 20);
    await sleep(60);
    h.touch();
    h.touch();
    await sleep(150);
    h.stop();
    await h.loop;
    expect(h.runs.map((r) => r.sha)).toEqual(['sha-0']);
  });

  it('a failed run does not end the watch', async () => {
    const h = harness('queue', 20);
    await sleep(60);
    h.commit('sha-fail');
    await sleep(150);
    h.commit('sha-ok');
    await sleep(150);
    h.stop();
    await h.loop;
    expect(h.runs.map((r) => r.sha)).toEqual(['sha-0', 'sha-fail', 'sha-ok']);
  });

  it('the stop signal aborts the run in flight and ends the loop', async () => {
    const h = harness('queue', 5_000);
    await sleep(50);
    const t0 = Date.now();
    h.stop();
    await h.loop;
    expect(Date.now() - t0).toBeLessThan(500);
    expect(h.runs[0]?.aborted).toBe(true);
  });
});
