// "did you mean …?" for a symbol ion-config.edn names that is not defined: the
// defined names at the smallest edit distance, when that distance is small for
// the name's length, else the names the namespace defines. (deploy.yaml's keys
// and references use text/did-you-mean.ts's didYouMean, which only ever
// guesses; the distance is shared. Hence another name here.)

import { editDistance } from '../text/did-you-mean.js';

/** `; did you mean hello?` (up to three names at the nearest distance), else the names there are, else ''. */
export function definedNamesHint(name: string, known: string[]): string {
  // A one-letter name is as near to every other one-letter name: no suggestion beats a list there.
  const limit = Math.min(name.length - 1, Math.max(2, Math.floor(name.length / 3)));
  let nearest: string[] = [];
  let best = limit + 1;
  for (const candidate of known) {
    const d = editDistance(name, candidate, Math.min(limit, best));
    if (d === Number.POSITIVE_INFINITY) continue;
    if (d < best) [best, nearest] = [d, []];
    if (d === best) nearest.push(candidate);
  }
  if (nearest.length > 0) return `; did you mean ${nearest.sort().slice(0, 3).join(' or ')}?`;
  if (known.length === 0) return ' (it defines no names)';
  const shown = [...known].sort().slice(0, 8);
  return ` (it defines ${shown.join(', ')}${known.length > shown.length ? ', …' : ''})`;
}
