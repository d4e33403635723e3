// A renderer turns engine events into output. One is chosen per command from
// --output (SPEC §2): `auto` is the live renderer on a terminal, plain lines
// when stderr is not a terminal or CI is set. Only the live renderer loads
// listr2, and only when chosen.

import type { Renderer, RendererOptions, OutputMode } from './types.js';

export async function createRenderer(mode: OutputMode, options: RendererOptions): Promise<Renderer> {
  // lazy: each renderer only for its mode: live (listr2) costs 26 ms, plain 6.5 ms, jsonl 4.9 ms (npm run bench -- imports; node -e 0: 85 ms)
  if (mode === 'jsonl') return new (await import('./jsonl.js')).JsonlRenderer(options);
  if (mode === 'plain') return new (await import('./plain.js')).PlainRenderer(options);
  return new (await import('./live.js')).LiveRenderer(options);
}
