// What `ionflow init` says last: the exact commands that make the next one,
// `ionflow run dev`, work. A plain push needs a clean tree (SPEC §5) and
// init's own files are new, so they must be committed first. init only shows
// the commands: it never changes the user's git state itself (which branch,
// which message, whether other staged work goes along are the user's calls).

import { relative } from 'node:path';
import { git } from '../../git/git.js';
import type { CliContext } from '../context.js';

/** A word the shell reads back as is. */
function shellWord(word: string): string {
  return /^[\w./@%+=:,-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

async function gitLines(dir: string, args: string[]): Promise<string[] | undefined> {
  try {
    return (await git(dir, args)).split('\n').filter((l) => l.trim() !== '');
  } catch {
    return undefined;
  }
}

/**
 * `files`: what init wrote or changed (absolute paths, in `dir`). The commit
 * names its paths (`git commit … -- <paths>`), so anything else already
 * staged stays out of it.
 */
export async function nextSteps(ctx: CliContext, dir: string, files: string[], configFlag: string): Promise<string[]> {
  const inRepo = (await gitLines(dir, ['rev-parse', '--show-toplevel'])) !== undefined;
  const message = '-m "Add deploy.yaml for ionflow"';
  const lines: string[] = [];
  if (!inRepo) {
    // git add must run inside the new repository: in its folder (-C), with paths relative to it.
    const paths = files.map((f) => shellWord(relative(dir, f))).join(' ');
    const at = relative(ctx.cwd, dir);
    const git = at ? `git -C ${shellWord(at)}` : 'git';
    lines.push(
      'next: commit them in a new git repository (a push takes a commit):',
      `  ${git} init && ${git} add ${paths} && ${git} commit ${message} -- ${paths}`,
    );
  } else {
    const changed = (await gitLines(dir, ['status', '--porcelain', '--', ...files])) ?? [];
    const paths = files.map((f) => shellWord(relative(ctx.cwd, f) || '.')).join(' ');
    if (changed.length > 0) {
      lines.push('next: commit them, so that a push of HEAD sees a clean tree:', `  git add ${paths} && git commit ${message} -- ${paths}`);
    }
    const others = (await gitLines(dir, ['status', '--porcelain', '--', '.', ':!.ionflow', ...files.map((f) => `:!${relative(dir, f)}`)])) ?? [];
    if (others.length > 0) {
      lines.push(
        `note: ${others.length} other uncommitted change(s) here (first: ${others[0]!.trim()}): a push of HEAD refuses them too;`,
        '  commit them as well, or push the working tree as it is with: ionflow run dev --uname <name>',
      );
    }
  }
  lines.push(`then: ionflow${configFlag} validate && ionflow${configFlag} run dev`);
  return lines;
}
