// Progress lines for a push on stderr: a line per step of bytes, never a flood.

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 * 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  return `${(n / (1024 * 1024 * 1024)).toFixed(2)} GiB`;
}

/** Report every `step` bytes (default 32 MiB) as "<verb> 64.0 MiB". */
export function progressReporter(say: (message: string) => void, verb: string, step = 32 * 1024 * 1024) {
  let next = step;
  return (bytes: number) => {
    if (bytes < next) return;
    say(`${verb} ${formatBytes(bytes)}`);
    next = (Math.floor(bytes / step) + 1) * step;
  };
}
