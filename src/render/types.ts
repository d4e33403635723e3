// What every renderer is and is given, and how --output picks one (SPEC §2).
// Apart from renderer.ts so the renderers and their chooser do not import each other.

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
