// The watch loop (SPEC §7), free of git and chokidar so it can be tested with
// fakes: a run now for HEAD, then, whenever the watched files move and quiet
// down for `debounceMs`, HEAD is read again and a new commit leads to a run.
// Runs never overlap. Commits that arrive while a run is in flight fold into
// one next run for the newest HEAD (`queue`), or stop the run at its next step
// boundary first (`restart`: the run's `stop` signal, which lets steps in
// flight finish). A failed run does not end the loop; the abort signal
// (SIGINT/SIGTERM) does, once the run in flight has stopped: it reaches the
// run as its hard `signal`.

import type { WatchTriggerEvent } from '../engine/events.js';

export type OnNewCommit = 'queue' | 'restart';

export interface WatchLoopOptions {
  debounceMs: number;
  onNewCommit: OnNewCommit;
  signal: AbortSignal;
  readHead(): Promise<string | undefined>;
  subject(sha: string): Promise<string>;
  /** Start watching; `onChange` is called for every touch of the watched files. */
  subscribe(onChange: () => void): Promise<{ close(): Promise<void> }>;
  /**
   * One run of the pipeline for a commit. `signal` is the hard abort
   * (SIGINT/SIGTERM): settle soon after it. `stop` asks for the next step
   * boundary (a restart): start no further step.
   */
  runFor(sha: string, signal: AbortSignal, stop: AbortSignal): Promise<unknown>;
  emit(event: WatchTriggerEvent): void;
  /** Human notes between runs ("waiting for a new commit", "restarting"). */
  note?(line: string): void;
}

interface Current {
  sha: string;
  controller: AbortController;
  /** Aborted by a restart: the run stops at its next step boundary. */
  stopper: AbortController;
  done: Promise<void>;
}

export async function watchLoop(opts: WatchLoopOptions): Promise<void> {
  const note = opts.note ?? (() => {});
  let current: Current | undefined;
  let lastSha: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let pending = false;
  let checking: Promise<void> | undefined;
  let stopped: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    stopped = resolve;
  });

  const start = (sha: string) => {
    lastSha = sha;
    const controller = new AbortController();
    const stopper = new AbortController();
    const onStop = () => controller.abort();
    opts.signal.addEventListener('abort', onStop, { once: true });
    const done = (async () => {
      opts.emit({ type: 'watch-trigger', sha, subject: await opts.subject(sha) });
      try {
        await opts.runFor(sha, controller.signal, stopper.signal);
      } catch (err) {
        // A failed run is reported by the run itself; the watch goes on.
        note(`run for ${sha.slice(0, 7)} ended with an error: ${(err as Error).message ?? err}`);
      }
    })().finally(() => {
      opts.signal.removeEventListener('abort', onStop);
      current = undefined;
      if (opts.signal.aborted) return stopped();
      if (pending && !timer) void check();
      else if (!timer) note('waiting for a new commit (Ctrl-C to stop)');
    });
    current = { sha, controller, stopper, done };
  };

  const check = async (): Promise<void> => {
    if (checking) return checking;
    checking = (async () => {
      pending = false;
      const sha = await opts.readHead();
      if (opts.signal.aborted || !sha) return;
      if (current) {
        if (sha === current.sha) return;
        pending = true;
        if (opts.onNewCommit === 'restart' && !current.stopper.signal.aborted) {
          note(`new commit ${sha.slice(0, 7)}: stopping the run for ${current.sha.slice(0, 7)} at its next step boundary`);
          current.stopper.abort(`new commit ${sha.slice(0, 7)}`);
        }
        return;
      }
      if (sha !== lastSha) start(sha);
    })().finally(() => {
      checking = undefined;
    });
    return checking;
  };

  const onChange = () => {
    if (opts.signal.aborted) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      void check();
    }, opts.debounceMs);
  };

  const watcher = await opts.subscribe(onChange);
  const onAbort = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!current) stopped();
  };
  opts.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const head = await opts.readHead();
    if (head && !opts.signal.aborted) start(head);
    if (opts.signal.aborted && !current) stopped();
    await finished;
  } finally {
    opts.signal.removeEventListener('abort', onAbort);
    await watcher.close();
  }
}
