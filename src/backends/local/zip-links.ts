// The symbolic links of a revision, checked against the tree the zip will
// write (SPEC §17): the OS resolves a link's target component by component,
// following any link it meets, so a link `x` → `.` makes `x/x/../..` leave
// the release although it reads as staying in. The tree is a trie of the
// entries' path components, so every check is linear in the length of what
// it walks, however long a target is (a 400 KB `a/a/a/…` took minutes when
// each step joined the whole path again).

import { posix } from 'node:path';

export interface TreeEntry {
  path: string;
  kind: 'file' | 'dir' | 'symlink';
  target?: string;
}

interface Node {
  parent: Node | undefined;
  name: string;
  children: Map<string, Node>;
  link: boolean;
}

const node = (parent: Node | undefined, name: string): Node => ({ parent, name, children: new Map(), link: false });

/** A node's path, for messages only: built on demand, so deep trees cost no copies. */
function pathOf(n: Node): string {
  const names: string[] = [];
  for (let at: Node | undefined = n; at?.parent; at = at.parent) names.push(at.name);
  return names.reverse().join('/');
}

/**
 * Why each link or entry would reach outside the release, one line each:
 * an entry written under a link (it would be written wherever the link
 * points), a link whose target leaves the release, or one that goes through
 * another link (resolved by a link the OS follows, not by the path as read).
 * A link to a link is fine: the other is checked on its own.
 */
export function linkProblems(entries: TreeEntry[]): string[] {
  const root = node(undefined, '');
  const nodes = new Map<TreeEntry, Node>();
  for (const entry of entries) {
    let at = root;
    for (const part of entry.path.split('/')) {
      let next = at.children.get(part);
      if (!next) {
        next = node(at, part);
        at.children.set(part, next);
      }
      at = next;
    }
    if (entry.kind === 'symlink') at.link = true;
    nodes.set(entry, at);
  }
  const problems: string[] = [];
  for (const entry of entries) {
    const leaf = nodes.get(entry)!;
    // Any link above the entry: it would be written through that link.
    for (let up = leaf.parent; up && up !== root; up = up.parent) {
      if (up.link) {
        problems.push(`${JSON.stringify(entry.path)} would be written through the link ${JSON.stringify(pathOf(up))}`);
        break;
      }
    }
    if (entry.kind !== 'symlink') continue;
    const reason = targetReason(leaf.parent!, entry.target ?? '');
    if (reason) problems.push(`${JSON.stringify(entry.path)} is a link ${reason} (${shorten(entry.target ?? '')})`);
  }
  return problems;
}

const shorten = (text: string) => (text.length > 80 ? `${text.slice(0, 79)}…` : text);

/** Walk `target` from the link's folder as the OS would; undefined when it stays inside. */
function targetReason(from: Node, target: string): string | undefined {
  if (target.includes('\0')) return 'with a NUL byte';
  if (posix.isAbsolute(target)) return 'to an absolute path';
  const parts = target.split('/');
  let at = from;
  // Components below a folder the zip does not hold: no link can be there.
  let beyond = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (beyond > 0) beyond--;
      else if (at.parent) at = at.parent;
      else return 'pointing outside the release';
      continue;
    }
    if (beyond > 0) {
      beyond++;
      continue;
    }
    const next = at.children.get(part);
    if (!next) beyond = 1;
    else if (next.link) return i === parts.length - 1 ? undefined : `going through the link ${JSON.stringify(pathOf(next))}`;
    else at = next;
  }
  return undefined;
}
