// Durations in messages, one wording each:
// - a limit as users write it in deploy.yaml (90s, 15m, 1h): `timed out after 2s`;
// - an elapsed time, as the renderers, `runs` and `history` show it: 850ms, 4.2s, 3m07s.

/** A configured limit: the largest whole unit (h, m, s), else milliseconds. */
export function limitText(ms: number): string {
  if (ms > 0 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms > 0 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** A time something took. */
export function elapsedText(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return `${m}m${String(s).padStart(2, '0')}s`;
}
