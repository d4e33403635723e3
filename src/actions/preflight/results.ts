// What preflight found (SPEC §14): one result a check, `ok`, `warning` or
// `failed` with a hint, printed one line each (or as JSON with --json).

export type CheckStatus = 'ok' | 'warning' | 'failed';

export interface CheckResult {
  /** What was checked: `profile staging`, `bucket code`, `group dev`, … */
  subject: string;
  status: CheckStatus;
  /** What was found: the identity, the problem. One line. */
  message: string;
  /** For a failure (or a warning): how to fix it. One line. */
  hint?: string;
}

/** What went wrong, in the one line a result has room for: the error's first line. */
export const firstLine = (err: unknown): string => String((err as Error | null)?.message ?? err).split('\n')[0] ?? '';

export const ok = (subject: string, message: string): CheckResult => ({ subject, status: 'ok', message });
export const warning = (subject: string, message: string, hint?: string): CheckResult => ({
  subject,
  status: 'warning',
  message,
  ...(hint ? { hint } : {}),
});
export const failed = (subject: string, message: string, hint?: string): CheckResult => ({
  subject,
  status: 'failed',
  message,
  ...(hint ? { hint } : {}),
});

const WORD: Record<CheckStatus, string> = { ok: 'ok', warning: 'warning', failed: 'FAILED' };

/** `ok       profile staging: arn:… in us-east-1`; a failure ends with `; fix: <hint>`. */
export function resultLine(r: CheckResult): string {
  const fix = r.hint ? ` — fix: ${r.hint}` : '';
  return `${WORD[r.status].padEnd(8)} ${r.subject}: ${r.message}${fix}`;
}

export function countLine(results: CheckResult[]): string {
  const n = (s: CheckStatus) => results.filter((r) => r.status === s).length;
  const w = n('warning');
  return `preflight: ${n('ok')} ok, ${w} warning${w === 1 ? '' : 's'}, ${n('failed')} failed`;
}

/** The --json form: kebab-case like every other JSON output. */
export function resultJson(r: CheckResult): Record<string, string> {
  return { subject: r.subject, status: r.status, message: r.message, ...(r.hint ? { hint: r.hint } : {}) };
}
