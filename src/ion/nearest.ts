// "did you mean …?" for a name that is not defined: the defined names at the
// smallest edit distance, when that distance is small for the name's length.

/** Levenshtein distance, or undefined as soon as it must exceed `limit` (most candidates stop early). */
export function editDistance(a: string, b: string, limit: number): number | undefined {
  if (Math.abs(a.length - b.length) > limit) return undefined;
  let previous = Array.from({ length: b.length + 1 }, (_, k) => k);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost);
      best = Math.min(best, row[j]!);
    }
    if (best > limit) return undefined;
    previous = row;
  }
  const d = previous[b.length]!;
  return d <= limit ? d : undefined;
}

/** `; did you mean hello?` (up to three names at the nearest distance), else the names there are, else ''. */
export function didYouMean(name: string, known: string[]): string {
  // A one-letter name is as near to every other one-letter name: no suggestion beats a list there.
  const limit = Math.min(name.length - 1, Math.max(2, Math.floor(name.length / 3)));
  let nearest: string[] = [];
  let best = limit + 1;
  for (const candidate of known) {
    const d = editDistance(name, candidate, Math.min(limit, best));
    if (d === undefined) continue;
    if (d < best) [best, nearest] = [d, []];
    if (d === best) nearest.push(candidate);
  }
  if (nearest.length > 0) return `; did you mean ${nearest.sort().slice(0, 3).join(' or ')}?`;
  if (known.length === 0) return ' (it defines no names)';
  const shown = [...known].sort().slice(0, 8);
  return ` (it defines ${shown.join(', ')}${known.length > shown.length ? ', …' : ''})`;
}
