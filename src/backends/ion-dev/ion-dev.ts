// One ion-dev op: `<command> '{:op … :creds-profile … :region …}'` in the app
// root, each printed line handed on as the step's log, the result read from
// stdout, and every way it can go wrong said in one line (SPEC §9, §16): the
// tool missing, a timeout, Ctrl-C, `:command-failed`, a non-zero exit, no map.

import { type ErrorKind, InterruptedError, IonflowError, type IonflowErrorOptions } from '../../model/errors.js';
import type { IonDevConfig } from '../../model/config.js';
import type { BackendOptions } from '../types.js';
import { type Exec, execIonDev } from './exec.js';

/** What to do when the command's first word is not found (run time and preflight alike). */
export const MISSING_TOOL_HINT =
  'install the Clojure CLI (https://clojure.org/guides/install_clojure) and give it an :ion-dev alias for com.datomic/ion-dev (Datomic Cloud docs: "ion-dev"), or set ion-dev.command in deploy.yaml';
import { failureMessage, type IonDevMap, lastEdnMap } from './result.js';
import { limitText } from '../../text/durations.js';

export type IonDevOp = 'push' | 'deploy' | 'deploy-status';

/** Which timeout of `ion-dev.timeouts` bounds each op. */
const TIMEOUT_OF: Record<IonDevOp, keyof IonDevConfig['timeouts']> = { push: 'push', deploy: 'deploy', 'deploy-status': 'status' };

/** ion-dev's refusal of a dirty tree: a refused precondition (exit 3), as ionflow's own check. */
const CLEAN_TREE_REFUSAL = /must either specify a uname or push from a clean git commit/i;

/** A failed op, with the last lines ion-dev printed (shown under the failed step). */
export class IonDevError extends IonflowError {
  readonly output: string;
  constructor(kind: ErrorKind, message: string, output: string[], options: IonflowErrorOptions = {}) {
    super(kind, message, options);
    this.name = 'IonDevError';
    this.output = output.join('\n');
  }
}

/** An EDN op map, e.g. `{:op :deploy :group "g" :rev "0f3c…"}`; values are strings. */
export function opMap(op: IonDevOp, fields: Record<string, string | undefined>): string {
  const parts = [`:op :${op}`];
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) parts.push(`:${key} ${JSON.stringify(value)}`);
  return `{${parts.join(' ')}}`;
}

/** An argv as a shell line a user can paste: `clojure -A:ion-dev '{:op :push}'`. */
export const shellLine = (argv: string[]): string => argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`)).join(' ');

export interface CallOptions {
  signal?: AbortSignal | undefined;
  /** Each line ion-dev prints. */
  onLine?: ((line: string) => void) | undefined;
}

export class IonDev {
  constructor(
    private readonly cfg: IonDevConfig,
    /** The app root: ion-dev reads deps.edn and git there. */
    private readonly cwd: string,
    private readonly backend: BackendOptions = {},
    private readonly exec: Exec = execIonDev,
  ) {}

  /** The argv that runs an op, for messages and `:ion-dev-command`. */
  argv(op: IonDevOp, fields: Record<string, string | undefined>): string[] {
    // --creds-profile / --region on the command line win, as for the aws back end.
    const credsProfile = this.backend.credsProfile ?? this.cfg.credsProfile;
    const region = this.backend.region ?? this.cfg.region;
    return [...this.cfg.command, opMap(op, { ...fields, 'creds-profile': credsProfile, region })];
  }

  async call(op: IonDevOp, fields: Record<string, string | undefined>, options: CallOptions = {}): Promise<IonDevMap> {
    const argv = this.argv(op, fields);
    const timeoutMs = this.cfg.timeouts[TIMEOUT_OF[op]];
    const result = await this.exec({
      argv,
      cwd: this.cwd,
      timeoutMs,
      signal: options.signal,
      env: this.backend.env,
      onLine: (line) => options.onLine?.(line),
    });
    const tool = this.cfg.command[0]!;
    if (result.aborted || options.signal?.aborted) throw new InterruptedError(`interrupted: ion-dev ${op} was stopped`);
    if (result.startError?.cwdMissing) throw new IonDevError('stepFailed', `cannot run ion-dev: the app root ${this.cwd} does not exist`, []);
    if (result.startError) {
      const missing = result.startError.code === 'ENOENT';
      throw new IonDevError(
        'stepFailed',
        missing ? `cannot run ion-dev: ${tool} is not on PATH` : `cannot run ion-dev: ${tool}: ${result.startError.reason}`,
        [],
        {
          hint: missing ? MISSING_TOOL_HINT : `check ion-dev.command in deploy.yaml (${this.cfg.command.join(' ')})`,
        },
      );
    }
    if (result.timedOut) {
      throw new IonDevError('stepFailed', `ion-dev ${op} did not finish within ${limitText(timeoutMs)}; it was stopped`, result.tail, {
        hint: `give it longer with ion-dev.timeouts.${TIMEOUT_OF[op]} in deploy.yaml`,
      });
    }
    const map = lastEdnMap(result.stdout);
    if (map && 'command-failed' in map) {
      const message = failureMessage(map) ?? 'command failed';
      const refused = CLEAN_TREE_REFUSAL.test(message);
      throw new IonDevError(refused ? 'precondition' : 'stepFailed', `ion-dev ${op} failed: ${message}`, result.tail, {
        hint: refused ? 'commit your changes (ion-dev checks the whole repository: is .ionflow/ in .gitignore?), or push with --uname' : undefined,
      });
    }
    if (result.exitCode !== 0) {
      const last = [...result.tail].reverse().find((l) => l.trim() !== '');
      throw new IonDevError('stepFailed', `ion-dev ${op} exited with ${result.exitCode ?? 'a signal'}${last ? `: ${last.trim()}` : ''}`, result.tail);
    }
    if (!map) {
      throw new IonDevError('stepFailed', `ion-dev ${op} printed no result map on stdout`, result.tail, {
        hint: `run it by hand to see: ${shellLine(argv)}`,
      });
    }
    return map;
  }
}
