// "did you mean …?" for a misspelt key or reference, as the CLI already does
// for commands: the known names within a small edit distance, closest first.

/**
 * Edit distance (insert, delete, substitute, swap of neighbours), Damerau-Levenshtein
 * style. Past `limit` it stops early and returns Infinity: most candidates are far.
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > limit) return Number.POSITIVE_INFINITY;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    let rowBest = d[i]![0]!;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
      rowBest = Math.min(rowBest, best);
    }
    // A swap reaches back two rows: stop only when this row and the one before are both past the limit.
    if (rowBest > limit && i > 1 && Math.min(...d[i - 1]!) > limit) return Number.POSITIVE_INFINITY;
  }
  const found = d[a.length]![b.length]!;
  return found <= limit ? found : Number.POSITIVE_INFINITY;
}

const MAX_KNOWN = 200;

/** The known names close enough to `name` to be what was meant (case is ignored). */
export function similarNames(name: string, known: readonly string[]): string[] {
  const wanted = name.toLowerCase();
  // A third of the name's length, at least 1: `stor` → store, not `s3` → sfn.
  const limit = Math.max(1, Math.floor(wanted.length / 3));
  // A guess among thousands of names is noise, and each costs a comparison with every one (validate stays linear).
  if (known.length > MAX_KNOWN) return [];
  return known
    .filter((k) => Math.abs(k.length - wanted.length) <= limit)
    .map((k) => ({ k, d: editDistance(wanted, k.toLowerCase()) }))
    .filter(({ d }) => d <= limit)
    .sort((x, y) => x.d - y.d)
    .map(({ k }) => k);
}

/** ` (did you mean 'store'?)`, or '' when nothing is close. */
export function didYouMean(name: string, known: readonly string[]): string {
  const close = similarNames(name, known).slice(0, 2);
  return close.length ? `; did you mean ${close.map((k) => `'${k}'`).join(' or ')}?` : '';
}

/** The one-line usage error text for a name deploy.yaml does not have: `unknown group dve (did you mean dev?); deploy.yaml has dev, prod`. */
export function unknownNameMessage(what: string, name: string, known: readonly string[]): string {
  const close = similarNames(name, known).slice(0, 2);
  const guess = close.length ? ` (did you mean ${close.join(' or ')}?)` : '';
  return `unknown ${what} ${name}${guess}; deploy.yaml has ${known.length ? known.join(', ') : `no ${what}s`}`;
}
