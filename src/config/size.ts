// Sizes in deploy.yaml: plain bytes, or a whole number and KiB, MiB, GiB or
// TiB (SPEC §17: `64MiB`, `8GiB`).

const UNIT_BYTES = { KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4 } as const;

/** Bytes, or undefined when the value is not a positive size. */
export function parseSize(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^([0-9]+)(KiB|MiB|GiB|TiB)?$/.exec(value);
  if (!m) return undefined;
  const bytes = Number(m[1]) * (m[2] ? UNIT_BYTES[m[2] as keyof typeof UNIT_BYTES] : 1);
  return bytes > 0 && Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** groups.<g>.max-unpacked-size when deploy.yaml does not say (SPEC §17). */
export const DEFAULT_MAX_UNPACKED_SIZE = 8 * UNIT_BYTES.GiB;
