// `confirm` steps (SPEC §3): --yes answers them; on a terminal one key press
// answers (y = yes, anything else = no, Ctrl-C = interrupt), asked through the
// step's progress so the live renderer shows the question in place; without a
// terminal and without --yes the step is refused (exit 3). One question at a
// time, even when branches run in parallel.

import { InterruptedError, preconditionError } from '../model/errors.js';

export type Ask = (question: string, progress: (message: string) => void, signal: AbortSignal) => Promise<boolean>;

export interface ConfirmIO {
  yes: boolean;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (on: boolean) => unknown };
}

export function noTerminalError(question: string) {
  return preconditionError(`confirm step "${question}" needs an answer, and there is no terminal to ask on`, {
    hint: 'pass --yes to answer confirm steps (e.g. in CI)',
  });
}

function readKey(stdin: ConfirmIO['stdin'], signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const raw = typeof stdin.setRawMode === 'function';
    const done = () => {
      stdin.off('data', onData);
      signal.removeEventListener('abort', onAbort);
      if (raw) stdin.setRawMode!(false);
      stdin.pause();
    };
    const onData = (chunk: Buffer | string) => {
      done();
      resolve(String(chunk));
    };
    const onAbort = () => {
      done();
      reject(new InterruptedError());
    };
    if (raw) stdin.setRawMode!(true);
    stdin.on('data', onData);
    stdin.resume();
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export function makeAsk(io: ConfirmIO): Ask {
  let queue: Promise<unknown> = Promise.resolve();
  return (question, progress, signal) => {
    if (io.yes) {
      progress(`${question} yes (--yes)`);
      return Promise.resolve(true);
    }
    if (!io.stdin.isTTY) return Promise.reject(noTerminalError(question));
    const answer = queue.then(async () => {
      progress(`${question} [y/N]`);
      const key = await readKey(io.stdin, signal);
      if (key.startsWith('\u0003')) throw new InterruptedError();
      return /^y/i.test(key.trim());
    });
    queue = answer.catch(() => undefined);
    return answer;
  };
}
