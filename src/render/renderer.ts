// A renderer turns engine events into output. One is chosen per command from
// --output (SPEC §2): `auto` is the live renderer on a terminal, plain lines
// when stderr is not a terminal or CI is set. Only the live renderer loads
// listr2, and only when chosen.

import type { Writable } from 'node:stream';
import type { PipelineConfig } from '../model/config.js';
import type { EngineEvent } from '../engine/events.js';

export type OutputOption = 'auto' | 'tty' | 'plain' | 'jsonl';
export type OutputMode = Exclude<OutputOption, 'auto'>;

export interface Renderer {
  event(event: EngineEvent): void;
  /** A line outside any run (watch: "watching …"). */
  note(line: string): void;
  /** Resolves once everything about the runs so far is on screen (live output finished, summary printed). */
  settled(): Promise<void>;
}

export interface RendererOptions {
  pipeline: PipelineConfig;
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

function truthy(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

export function resolveOutputMode(option: OutputOption | undefined, stderr: { isTTY?: boolean }, env: NodeJS.ProcessEnv): OutputMode {
  if (option && option !== 'auto') return option;
  return stderr.isTTY && !truthy(env.CI) && env.TERM !== 'dumb' ? 'tty' : 'plain';
}

export async function createRenderer(mode: OutputMode, options: RendererOptions): Promise<Renderer> {
  if (mode === 'jsonl') return new (await import('./jsonl.js')).JsonlRenderer(options);
  if (mode === 'plain') return new (await import('./plain.js')).PlainRenderer(options);
  return new (await import('./live.js')).LiveRenderer(options);
}
