// --output jsonl: one SPEC §8 object per line on stdout, nothing else there.

import { type EngineEvent, toJsonlRecord } from '../engine/events.js';
import type { Renderer, RendererOptions } from './types.js';

export class JsonlRenderer implements Renderer {
  constructor(private readonly options: RendererOptions) {}

  event(event: EngineEvent): void {
    const record = toJsonlRecord(event);
    if (record) this.options.stdout.write(`${JSON.stringify(record)}\n`);
  }

  note(line: string): void {
    this.options.stderr.write(`${line}\n`);
  }

  async settled(): Promise<void> {}
}
