// The questions a run asks git before its first step, each asked once and
// shared. Where an app folder is and HEAD is what the run's revision,
// preflight's repository check and a first push all ask; whether the folder
// is clean is what that push asks. Asked together at the run's start they run
// in parallel, while the rest of ionflow loads, and each is one process
// fewer: a git process costs 5–9 ms of wall time and ~1.5 ms of the main
// thread to start, and a run with nothing to do spends its time on little
// else (issue 18).

import { type HeadLocation, locateHead, statusLines } from './git.js';

/** Asked once per key; a failure is kept too, and surfaces where it is awaited. */
function once<T>(made: Map<string, Promise<T>>, key: string, ask: () => Promise<T>): Promise<T> {
  let found = made.get(key);
  if (!found) {
    found = ask();
    found.catch(() => undefined);
    made.set(key, found);
  }
  return found;
}

export class GitFacts {
  private readonly located = new Map<string, Promise<HeadLocation>>();
  private readonly status = new Map<string, Promise<string[]>>();

  constructor(private readonly signal?: AbortSignal) {}

  /**
   * locateHead(dir). HEAD as it was when first asked: callers that push HEAD
   * use it only where nothing could have moved HEAD since (see the step runner).
   */
  locate(dir: string): Promise<HeadLocation> {
    return once(this.located, dir, () => locateHead(dir, this.signal));
  }

  /** statusLines(dir, excludes), as it was when first asked. */
  statusLines(dir: string, excludes: string[]): Promise<string[]> {
    return once(this.status, [dir, ...excludes].join('\0'), () => statusLines(dir, excludes, this.signal));
  }
}
