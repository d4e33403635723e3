// One error base and one exit-code table (SPEC §9). Every failure that reaches
// the user goes through IonflowError; main() maps it to an exit code, and only
// bin/ionflow.js calls process.exit.

export const ExitCode = {
  ok: 0,
  stepFailed: 1,
  usage: 2,
  precondition: 3,
  timeout: 4,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export type ErrorKind = keyof typeof ExitCode;

export interface IonflowErrorOptions {
  hint?: string | undefined;
  cause?: unknown;
  /** Extra lines printed after the `error:` line (e.g. config problems with code frames). */
  details?: string[] | undefined;
  /** Lines printed last, after the hint (e.g. the command that resumes a run). */
  trailer?: string[] | undefined;
}

export class IonflowError extends Error {
  readonly kind: ErrorKind;
  readonly hint: string | undefined;
  readonly details: string[];
  readonly trailer: string[];

  constructor(kind: ErrorKind, message: string, options: IonflowErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'IonflowError';
    this.kind = kind;
    this.hint = options.hint;
    this.details = options.details ?? [];
    this.trailer = options.trailer ?? [];
  }

  get exitCode(): ExitCode {
    return ExitCode[this.kind];
  }
}

export const usageError = (message: string, options?: IonflowErrorOptions) => new IonflowError('usage', message, options);
export const preconditionError = (message: string, options?: IonflowErrorOptions) => new IonflowError('precondition', message, options);
export const stepError = (message: string, options?: IonflowErrorOptions) => new IonflowError('stepFailed', message, options);

/** Thrown when SIGINT/SIGTERM or a watch restart aborts work. */
export class InterruptedError extends IonflowError {
  constructor(message = 'interrupted') {
    super('interrupted', message);
    this.name = 'InterruptedError';
  }
}

export function isAbortError(err: unknown): boolean {
  if (err instanceof InterruptedError) return true;
  const e = err as { name?: string; code?: string } | null;
  return e?.name === 'AbortError' || e?.code === 'ABORT_ERR';
}

export function exitCodeOf(err: unknown): ExitCode {
  if (err instanceof IonflowError) return err.exitCode;
  if (isAbortError(err)) return ExitCode.interrupted;
  return ExitCode.stepFailed;
}

/** The one-line `error:` (+ `hint:`) form of SPEC §9; stack only with --debug. */
export function formatError(err: unknown, debug = false): string {
  const lines: string[] = [];
  if (err instanceof IonflowError) {
    lines.push(`error: ${err.message}`);
    lines.push(...err.details);
    if (err.hint) lines.push(`hint: ${err.hint}`);
    lines.push(...err.trailer);
  } else if (isAbortError(err)) {
    lines.push('error: interrupted');
  } else {
    const message = err instanceof Error ? err.message : String(err);
    lines.push(`error: ${message.split('\n')[0]}`);
  }
  if (debug && err instanceof Error && err.stack) {
    lines.push(err.stack);
    if (err.cause instanceof Error && err.cause.stack) lines.push(`caused by: ${err.cause.stack}`);
  }
  return lines.join('\n');
}
