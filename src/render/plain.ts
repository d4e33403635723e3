// Plain lines on stderr, one per thing that happened: for logs, CI and pipes.

import type { EngineEvent } from '../engine/events.js';
import { outputTail, type Paint, paint, stepSymbol } from './format.js';
import type { Renderer, RendererOptions } from './types.js';
import { RunRecord, summaryLines } from './summary.js';
import { elapsedText } from '../text/durations.js';

export class PlainRenderer implements Renderer {
  private record = new RunRecord();
  private readonly p: Paint;

  constructor(private readonly options: RendererOptions) {
    this.p = paint(options.stderr, options.env);
  }

  private line(text: string): void {
    this.options.stderr.write(`${text}\n`);
  }

  event(e: EngineEvent): void {
    const p = this.p;
    if (e.type === 'watch-trigger') {
      this.line(`${p.bold('▶')} commit ${e.sha.slice(0, 7)} ${e.subject}`);
      return;
    }
    this.record.add(e);
    switch (e.type) {
      case 'run-start':
        this.line(`${p.bold('▶')} run ${e.pipeline} (${e.uname !== undefined ? `uname ${e.uname}` : `rev ${e.rev}`}) ${p.dim(`run ${e.run}`)}`);
        break;
      case 'step-start':
        this.line(`  ${p.dim('▸')} ${e.step} ${p.dim(`${e.kind} ${e.target}`)}`);
        break;
      case 'step-progress':
        this.line(`    ${p.dim(`${e.step}: ${e.message}`)}`);
        break;
      case 'log':
        // SPEC §13: `<step> <event>: <line>`, every line as it arrives.
        this.line(`    ${e.step}${e.event !== undefined ? ` ${e.event}` : ''}: ${e.line}`);
        break;
      case 'step-end': {
        const time = e.status === 'not-run' ? '' : ` ${p.dim(`(${elapsedText(e.duration_ms)})`)}`;
        this.line(`  ${stepSymbol(e, p)} ${e.step} ${e.detail}${time}`);
        if (e.status === 'failed') for (const l of outputTail(e)) this.line(l);
        break;
      }
      case 'run-end':
        for (const l of summaryLines(this.record, p)) this.line(l);
        this.record = new RunRecord();
        break;
    }
  }

  note(line: string): void {
    this.line(line);
  }

  async settled(): Promise<void> {}
}
