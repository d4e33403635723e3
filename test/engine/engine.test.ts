import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../src/engine/engine.js';
import type { StepEndEvent } from '../../src/engine/events.js';
import { InterruptedError, IonflowError } from '../../src/model/errors.js';
import { collect, fakeRunner, pipeline, SEQUENTIAL_DEV, sleep } from '../support/fake-runner.js';

const config = { groups: { a: { app: 'shop' }, b: { app: 'shop' }, c: { app: 'shop' }, dev: { app: 'shop' } } } as never;
const rev = { rev: 'b'.repeat(40), named: false };
const ends = (events: ReturnType<typeof collect>['events']) =>
  Object.fromEntries(events.filter((e): e is StepEndEvent => e.type === 'step-end').map((e) => [e.step, e]));

describe('runPipeline', () => {
  it('runs a sequential pipeline in order, each step after the one before', async () => {
    const { runner } = fakeRunner();
    const out = collect();
    const result = await runPipeline({
      pipeline: pipeline('dev', [{ push: 'shop' }, { deploy: 'dev' }, { wait: 'dev' }]),
      config,
      runner,
      revision: rev,
      emit: out.emit,
    });
    expect(result).toMatchObject({ status: 'succeeded', exitCode: 0 });
    expect(out.types()).toEqual(SEQUENTIAL_DEV);
    expect(out.events[0]).toMatchObject({ type: 'run-start', pipeline: 'dev', rev: rev.rev, run: result.run });
  });

  it('fans out: one push, deploys to several groups at once, each wait after its own deploy', async () => {
    const { runner, calls } = fakeRunner({}, 50);
    const out = collect();
    const p = pipeline('fan', [
      { push: 'shop' },
      { deploy: 'a', needs: ['push-shop'] },
      { deploy: 'b', needs: ['push-shop'] },
      { deploy: 'c', needs: ['push-shop'] },
      { wait: 'a', needs: ['deploy-a'] },
      { wait: 'b', needs: ['deploy-b'] },
      { wait: 'c', needs: ['deploy-c'] },
    ]);
    const result = await runPipeline({ pipeline: p, config, runner, revision: rev, emit: out.emit });
    expect(result.status).toBe('succeeded');
    const at = (id: string) => calls.find((c) => c.step === id)!;
    // The three deploys overlap in time.
    const deploys = ['deploy-a', 'deploy-b', 'deploy-c'].map(at);
    expect(Math.max(...deploys.map((d) => d.startedAt))).toBeLessThan(Math.min(...deploys.map((d) => d.endedAt!)));
    // The revision this run pushed flows into each deploy; each wait sees its group's deployment.
    for (const g of ['a', 'b', 'c']) {
      expect(at(`deploy-${g}`).input.revisionFor('shop')).toEqual({ rev: 'a'.repeat(40) });
      expect(at(`wait-${g}`).input.deploymentFor(g)).toEqual({ deploymentId: `d-${g}` });
      expect(at(`wait-${g}`).startedAt).toBeGreaterThanOrEqual(at(`deploy-${g}`).endedAt!);
    }
    const types = out.types();
    expect(types.filter((t) => t.startsWith('step-start:push'))).toHaveLength(1);
    expect(types.indexOf('step-end:push-shop')).toBeLessThan(types.indexOf('step-start:deploy-a'));
    expect(types.at(-1)).toBe('run-end');
  });

  it('a failing step stops its dependants only; independent branches finish', async () => {
    const { runner, calls } = fakeRunner({
      'deploy-b': async () => {
        await sleep(10);
        throw new IonflowError('stepFailed', 'hook AfterInstall exited with 1');
      },
    });
    const out = collect();
    const p = pipeline('fan', [
      { push: 'shop' },
      { deploy: 'a', needs: ['push-shop'] },
      { deploy: 'b', needs: ['push-shop'] },
      { wait: 'a', needs: ['deploy-a'] },
      { wait: 'b', needs: ['deploy-b'] },
      { run: 'echo after-b', needs: ['wait-b'] },
    ]);
    const result = await runPipeline({ pipeline: p, config, runner, revision: rev, emit: out.emit });
    expect(result).toMatchObject({ status: 'failed', exitCode: 1, failure: { step: 'deploy-b' } });
    const e = ends(out.events);
    expect(e['deploy-b']).toMatchObject({ status: 'failed', detail: 'hook AfterInstall exited with 1' });
    expect(e['wait-b']).toMatchObject({ status: 'not-run', detail: 'not run: needs deploy-b, which failed' });
    expect(e['run-1']).toMatchObject({ status: 'not-run', detail: 'not run: needs wait-b, which did not run' });
    // deploy-a was running when deploy-b failed: it finishes; wait-a had not started: it never does.
    expect(e['deploy-a']?.status).toBe('succeeded');
    expect(e['wait-a']).toMatchObject({ status: 'not-run', detail: 'not run: deploy-b failed; deployment d-a is left to finish' });
    expect(calls.map((c) => c.step)).not.toContain('wait-b');
    expect(out.events.filter((x) => x.type === 'step-start').map((x) => ('step' in x ? x.step : ''))).not.toContain('wait-b');
  });

  it('after a failure nothing new starts: a step not started yet is reported as not run', async () => {
    const { runner, calls } = fakeRunner({
      b: async () => {
        throw new IonflowError('stepFailed', 'exit 1 exited with 1');
      },
    });
    const out = collect();
    const p = pipeline('p', [
      { run: 'exit 1', id: 'b', needs: [] },
      { run: 'echo d', id: 'd', needs: [] },
    ]);
    const result = await runPipeline({ pipeline: p, config, runner, revision: rev, emit: out.emit, concurrency: 1 });
    expect(result).toMatchObject({ status: 'failed', exitCode: 1, failure: { step: 'b' } });
    expect(calls.map((c) => c.step)).toEqual(['b']);
    expect(ends(out.events).d).toMatchObject({ status: 'not-run', detail: 'not run: b failed' });
  });

  it('after a failure, steps already running finish before the others are reported as not run', async () => {
    const { runner, calls } = fakeRunner({
      b: async () => {
        await sleep(10);
        throw new IonflowError('stepFailed', 'exit 1 exited with 1');
      },
      c: async () => {
        await sleep(80);
        return { detail: 'done' };
      },
    });
    const out = collect();
    const p = pipeline('p', [
      { run: 'exit 1', id: 'b', needs: [] },
      { run: 'sleep', id: 'c', needs: [] },
      { run: 'echo d', id: 'd', needs: [] },
    ]);
    const result = await runPipeline({ pipeline: p, config, runner, revision: rev, emit: out.emit, concurrency: 2 });
    expect(result.status).toBe('failed');
    expect(calls.map((c) => c.step)).toEqual(['b', 'c']);
    expect(ends(out.events).c).toMatchObject({ status: 'succeeded' });
    expect(out.types()).toEqual(['run-start', 'step-start:b', 'step-start:c', 'step-end:b', 'step-end:c', 'step-end:d', 'run-end']);
  });

  it('skipped steps are reported as skipped and their dependants still run', async () => {
    const { runner } = fakeRunner({
      'push-shop': async () => ({ skipped: true, detail: 'up to date: already in the store', pushed: { app: 'shop', revision: { rev: 'c'.repeat(40) } } }),
    });
    const out = collect();
    await runPipeline({ pipeline: pipeline('dev', [{ push: 'shop' }, { deploy: 'dev' }]), config, runner, revision: rev, emit: out.emit });
    const e = ends(out.events);
    expect(e['push-shop']).toMatchObject({ status: 'skipped', detail: 'up to date: already in the store' });
    expect(e['deploy-dev']?.status).toBe('succeeded');
  });

  it('never runs more than --concurrency steps at once', async () => {
    let now = 0;
    let peak = 0;
    const slow = async () => {
      now += 1;
      peak = Math.max(peak, now);
      await sleep(30);
      now -= 1;
      return { detail: 'ok' };
    };
    const specs = [1, 2, 3, 4, 5].map((n) => ({ run: `job ${n}`, needs: [] as string[] }));
    const { runner } = fakeRunner(Object.fromEntries([1, 2, 3, 4, 5].map((n) => [`run-${n}`, slow])));
    const result = await runPipeline({ pipeline: pipeline('p', specs), runner, revision: rev, emit: () => {}, concurrency: 2 });
    expect(result.status).toBe('succeeded');
    expect(peak).toBe(2);
  });

  it('runs one deployment per group at a time within a run', async () => {
    const { runner, calls } = fakeRunner({}, 40);
    const p = pipeline('p', [
      { deploy: 'dev', id: 'one', needs: [] },
      { deploy: 'dev', id: 'two', needs: [] },
    ]);
    await runPipeline({ pipeline: p, runner, revision: rev, emit: () => {} });
    const [one, two] = calls;
    expect(two!.startedAt).toBeGreaterThanOrEqual(one!.endedAt!);
  });

  it('a deploy waits for the push of its app even when needs say otherwise', async () => {
    const { runner, calls } = fakeRunner({}, 30);
    const p = pipeline('p', [{ push: 'shop' }, { deploy: 'dev', needs: [] }]);
    await runPipeline({ pipeline: p, config, runner, revision: rev, emit: () => {} });
    expect(calls[1]!.startedAt).toBeGreaterThanOrEqual(calls[0]!.endedAt!);
  });

  it('without a push in the run, deploys use the run revision', async () => {
    const { runner, calls } = fakeRunner();
    await runPipeline({ pipeline: pipeline('p', [{ deploy: 'dev' }]), config, runner, revision: { uname: 'try-1', named: false }, emit: () => {} });
    expect(calls[0]!.input.revisionFor('shop')).toEqual({ uname: 'try-1' });
  });

  it('maps the failing step’s error kind to the exit code (precondition 3, timeout 4)', async () => {
    for (const [kind, code] of [
      ['precondition', 3],
      ['timeout', 4],
    ] as const) {
      const { runner } = fakeRunner({
        'wait-dev': async () => {
          throw new IonflowError(kind, 'nope');
        },
      });
      const result = await runPipeline({ pipeline: pipeline('p', [{ wait: 'dev' }]), runner, revision: rev, emit: () => {} });
      expect(result.exitCode).toBe(code);
    }
  });

  it('an abort stops at the step boundary: the step in flight gets the signal, nothing else starts, exit 130', async () => {
    const controller = new AbortController();
    const { runner, calls } = fakeRunner({
      'push-shop': async (_s, input) => {
        setTimeout(() => controller.abort(), 20);
        await sleep(5_000, input.signal);
        return { detail: 'never' };
      },
    });
    const out = collect();
    const t0 = Date.now();
    const result = await runPipeline({
      pipeline: pipeline('p', [{ push: 'shop' }, { deploy: 'dev' }]),
      config,
      runner,
      revision: rev,
      emit: out.emit,
      signal: controller.signal,
    });
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(result).toMatchObject({ status: 'interrupted', exitCode: 130 });
    expect(calls.map((c) => c.step)).toEqual(['push-shop']);
    const e = ends(out.events);
    expect(e['push-shop']).toMatchObject({ status: 'failed', detail: 'interrupted' });
    expect(e['deploy-dev']).toMatchObject({ status: 'not-run', detail: 'not run: the run was interrupted' });
    expect(out.events.at(-1)).toMatchObject({ type: 'run-end', status: 'interrupted' });
  });

  it('a stop (watch restart) lets the step in flight finish, starts nothing after it, and ends the run interrupted', async () => {
    const stop = new AbortController();
    const { runner, calls } = fakeRunner({
      'run-1': async (_s, input) => {
        setTimeout(() => stop.abort('new commit 1234567'), 10);
        await sleep(80, input.signal);
        return { detail: 'exited 0' };
      },
    });
    const out = collect();
    const p = pipeline('p', [{ run: 'make' }, { run: 'make test' }]);
    const result = await runPipeline({ pipeline: p, config, runner, revision: rev, emit: out.emit, stop: stop.signal });
    expect(result).toMatchObject({ status: 'interrupted', exitCode: 130 });
    expect(calls.map((c) => c.step)).toEqual(['run-1']);
    const e = ends(out.events);
    expect(e['run-1']).toMatchObject({ status: 'succeeded', detail: 'exited 0' });
    expect(e['run-2']).toMatchObject({ status: 'not-run', detail: 'not run: the run was stopped: new commit 1234567' });
    // Step ends in the order they happened: the running step first.
    expect(out.types()).toEqual(['run-start', 'step-start:run-1', 'step-end:run-1', 'step-end:run-2', 'run-end']);
  });

  it('a stop aborts a push in flight (its upload) but not a deploy; a wait left out says the deployment goes on', async () => {
    const stop = new AbortController();
    const pushRun = fakeRunner({
      'push-shop': async (_s, input) => {
        setTimeout(() => stop.abort(), 10);
        await sleep(5_000, input.signal);
        return { detail: 'never' };
      },
    });
    const t0 = Date.now();
    const out = collect();
    const r1 = await runPipeline({
      pipeline: pipeline('p', [{ push: 'shop' }, { deploy: 'dev' }]),
      config,
      runner: pushRun.runner,
      revision: rev,
      emit: out.emit,
      stop: stop.signal,
    });
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(r1.status).toBe('interrupted');
    expect(ends(out.events)['push-shop']).toMatchObject({ status: 'failed', detail: 'interrupted' });
    expect(ends(out.events)['deploy-dev']).toMatchObject({ status: 'not-run', detail: 'not run: the run was stopped at a step boundary' });

    const stop2 = new AbortController();
    let deploySignal: AbortSignal | undefined;
    const deployRun = fakeRunner({
      'deploy-dev': async (_s, input) => {
        deploySignal = input.signal;
        stop2.abort();
        await sleep(30, input.signal);
        return { detail: 'deployed', deployment: { group: 'dev', id: { deploymentId: 'd-7' } } };
      },
    });
    const out2 = collect();
    const r2 = await runPipeline({
      pipeline: pipeline('p', [{ deploy: 'dev' }, { wait: 'dev' }]),
      config,
      runner: deployRun.runner,
      revision: rev,
      emit: out2.emit,
      stop: stop2.signal,
    });
    expect(r2.status).toBe('interrupted');
    expect(deploySignal?.aborted).toBe(false);
    expect(ends(out2.events)['deploy-dev']).toMatchObject({ status: 'succeeded' });
    expect(ends(out2.events)['wait-dev']).toMatchObject({
      status: 'not-run',
      detail: 'not run: the run was stopped at a step boundary; deployment d-7 is left to finish',
    });
  });

  it('an interrupted step can say what it left behind', async () => {
    const controller = new AbortController();
    const { runner } = fakeRunner({
      'wait-dev': async () => {
        controller.abort();
        throw new InterruptedError('stopped waiting; deployment d-1 continues');
      },
    });
    const out = collect();
    await runPipeline({ pipeline: pipeline('p', [{ wait: 'dev' }]), runner, revision: rev, emit: out.emit, signal: controller.signal });
    expect(ends(out.events)['wait-dev']).toMatchObject({ status: 'failed', detail: 'interrupted: stopped waiting; deployment d-1 continues' });
  });

  it('an already aborted signal runs nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    const { runner, calls } = fakeRunner();
    const result = await runPipeline({ pipeline: pipeline('p', [{ push: 'shop' }]), runner, revision: rev, emit: () => {}, signal: controller.signal });
    expect(result.status).toBe('interrupted');
    expect(calls).toHaveLength(0);
  });

  it('step progress reaches the event stream', async () => {
    const { runner } = fakeRunner({
      'push-shop': async (_s, input) => {
        input.progress('uploading 10 KiB');
        return { detail: 'pushed' };
      },
    });
    const out = collect();
    await runPipeline({ pipeline: pipeline('p', [{ push: 'shop' }]), runner, revision: rev, emit: out.emit });
    expect(out.events).toContainEqual(expect.objectContaining({ type: 'step-progress', step: 'push-shop', message: 'uploading 10 KiB' }));
  });
});
