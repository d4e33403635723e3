// Which processes are still running git archive for a commit (their argv names it).
import { execFileSync } from 'node:child_process';

export function archivingProcesses(sha: string): string[] {
  return execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes('archive') && l.includes(sha));
}
