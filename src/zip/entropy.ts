// zlib spends as long failing to shrink random-looking data (jars, images,
// archives) as it spends shrinking text, and git then stores such files
// anyway. A byte histogram of three small samples spots them for a few
// microseconds, so they are stored without the wasted deflate. Data whose
// bytes look uniform but that repeats over long distances would compress and
// is stored instead: the zip is then larger, never wrong.

const SAMPLE = 4096;
const MIN_SIZE = 3 * SAMPLE;
// Random bytes measure about 7.98 bits a byte over 12 KiB, deflate output about 7.95; text stays below 6.
const THRESHOLD_BITS = 7.9;

export function looksIncompressible(content: Uint8Array): boolean {
  if (content.length < MIN_SIZE) return false;
  const counts = new Uint32Array(256);
  const middle = (content.length - SAMPLE) >> 1;
  for (const start of [0, middle, content.length - SAMPLE]) {
    for (let i = start; i < start + SAMPLE; i++) counts[content[i]!]!++;
  }
  let bits = 0;
  for (const c of counts) {
    if (c === 0) continue;
    const p = c / MIN_SIZE;
    bits -= p * Math.log2(p);
  }
  return bits >= THRESHOLD_BITS;
}
