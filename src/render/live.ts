// The live renderer (--output tty): one listr2 task per step, driven by engine
// events rather than by listr2 running the work. Steps wait (dim) until their
// step-start, show progress nested under them, and end with their detail and
// duration; the summary follows once listr2 has drawn its last frame.
// Loaded only when chosen (listr2 is not imported anywhere else).

import { DefaultRenderer, Listr, ListrLogger, type ListrTaskWrapper, ListrTaskState, ProcessOutput } from 'listr2';
import type { EngineEvent, StepEndEvent } from '../engine/events.js';
import { outputTail, type Paint, paint } from './format.js';
import type { Renderer, RendererOptions } from './types.js';
import { RunRecord, summaryLines } from './summary.js';
import { elapsedText } from '../text/durations.js';

// listr2 only draws when process.stdout is a terminal; ours draws on stderr.
class StderrRenderer extends DefaultRenderer {
  static override nonTTY = true;
}

type Wrapper = ListrTaskWrapper<unknown, typeof DefaultRenderer, typeof DefaultRenderer>;

interface Slot {
  wrapper?: Wrapper;
  resolve?: () => void;
  reject?: (err: Error) => void;
  started: boolean;
  progress?: string;
  end?: StepEndEvent;
}

export class LiveRenderer implements Renderer {
  private readonly p: Paint;
  private slots = new Map<string, Slot>();
  private record = new RunRecord();
  private current: Promise<void> = Promise.resolve();

  constructor(private readonly options: RendererOptions) {
    this.p = paint(options.stderr, options.env);
    // listr2 sizes its frame by process.stdout.columns, which is 0 or missing when
    // stdout is piped or the terminal reports no size: use stderr's, else 80.
    const out = process.stdout as { columns?: number };
    if (!(Number(out.columns) > 0)) {
      const cols = Number((options.stderr as { columns?: number }).columns);
      out.columns = cols > 0 ? cols : 80;
    }
  }

  private title(id: string, text: string): string {
    return `${this.p.bold(id)} ${text}`;
  }

  /** Bring a step's listr2 task up to date with what the events said so far. */
  private apply(id: string): void {
    const slot = this.slots.get(id);
    const w = slot?.wrapper;
    if (!slot || !w) return;
    const step = this.options.pipeline.steps.find((s) => s.id === id);
    const start = this.record.starts.get(id);
    if (slot.end) {
      const e = slot.end;
      const time = this.p.dim(`(${elapsedText(e.duration_ms)})`);
      if (e.status === 'succeeded') {
        // listr2 marks a task completed only from the started state.
        if (w.task.state !== ListrTaskState.STARTED) w.task.state$ = ListrTaskState.STARTED;
        w.title = this.title(id, `${time} ${e.detail}`);
        slot.resolve?.();
      } else if (e.status === 'skipped' || e.status === 'not-run') {
        w.skip(this.title(id, e.status === 'not-run' ? e.detail : `${time} ${e.detail}`));
        slot.resolve?.();
      } else {
        w.title = this.title(id, `${time} failed`);
        slot.reject?.(new Error([e.detail, ...outputTail(e, '  ')].join('\n')));
      }
      slot.resolve = slot.reject = undefined;
      return;
    }
    if (slot.started && start) {
      if (w.task.state !== ListrTaskState.STARTED) w.task.state$ = ListrTaskState.STARTED;
      w.title = this.title(id, `${start.kind} ${start.target}`);
      if (slot.progress) w.output = slot.progress;
    } else if (step) {
      w.task.state$ = ListrTaskState.WAITING;
      w.title = this.title(id, this.p.dim(`${step.kind} · waiting for ${step.needs.join(', ') || 'a free slot'}`));
    }
  }

  private startRun(): void {
    this.slots = new Map(this.options.pipeline.steps.map((s) => [s.id, { started: false }]));
    const tasks = this.options.pipeline.steps.map((s) => ({
      title: s.id,
      task: (_ctx: unknown, wrapper: Wrapper) =>
        new Promise<void>((resolve, reject) => {
          const slot = this.slots.get(s.id)!;
          Object.assign(slot, { wrapper, resolve, reject });
          this.apply(s.id);
        }),
      rendererOptions: { outputBar: 3, persistentOutput: false },
    }));
    const stderr = this.options.stderr as NodeJS.WriteStream;
    const stdout = this.options.stdout as NodeJS.WriteStream;
    const list = new Listr(tasks as never, {
      concurrent: true,
      exitOnError: false,
      registerSignalListeners: false,
      renderer: StderrRenderer as never,
      rendererOptions: {
        collapseSkips: true,
        collapseErrors: false,
        showErrorMessage: true,
        formatOutput: 'truncate',
        // listr2's "stdout" is our stderr: progress never mixes with stdout.
        logger: new ListrLogger({ useIcons: true, toStderr: [], processOutput: new ProcessOutput(stderr, stdout) }),
      } as never,
    });
    const previous = this.current;
    this.current = previous.then(() =>
      list.run().then(
        () => undefined,
        () => undefined,
      ),
    );
  }

  event(e: EngineEvent): void {
    if (e.type === 'watch-trigger') {
      this.note(`${this.p.bold('▶')} commit ${e.sha.slice(0, 7)} ${e.subject}`);
      return;
    }
    this.record.add(e);
    const slot = 'step' in e ? this.slots.get(e.step) : undefined;
    switch (e.type) {
      case 'run-start':
        this.note(`${this.p.bold('▶')} run ${e.pipeline} ${e.uname !== undefined ? `uname ${e.uname}` : `rev ${e.rev}`} ${this.p.dim(`(run ${e.run})`)}`);
        this.startRun();
        return;
      case 'step-start':
        if (slot) slot.started = true;
        break;
      case 'step-progress':
        if (slot) slot.progress = e.message;
        break;
      case 'log':
        // The output bar under the step keeps the latest lines.
        if (slot) slot.progress = e.event !== undefined ? `${e.event}: ${e.line}` : e.line;
        break;
      case 'step-end':
        if (slot) slot.end = e;
        break;
      case 'run-end': {
        const record = this.record;
        this.record = new RunRecord();
        this.current = this.current.then(() => {
          for (const l of summaryLines(record, this.p, { steps: false })) this.options.stderr.write(`${l}\n`);
        });
        return;
      }
    }
    if ('step' in e) this.apply(e.step);
  }

  note(line: string): void {
    this.options.stderr.write(`${line}\n`);
  }

  settled(): Promise<void> {
    return this.current;
  }
}
