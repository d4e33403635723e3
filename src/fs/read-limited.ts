// deploy.yaml and ion-config.edn are read only when they are regular files of
// at most 1 MiB (SPEC §17): a FIFO named deploy.yaml hung validate forever,
// and ion-config: /dev/zero read until 600 MB. The size is checked before
// reading and again while reading, since a file can grow in between.

import { open, stat } from 'node:fs/promises';
import { IonflowError } from '../model/errors.js';

export const MAX_CONFIG_BYTES = 1024 * 1024;

function kindOf(s: import('node:fs').Stats): string {
  if (s.isDirectory()) return 'a folder';
  if (s.isFIFO()) return 'a FIFO';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device';
  if (s.isSocket()) return 'a socket';
  return 'not a regular file';
}

const tooBig = (display: string) =>
  new IonflowError('usage', `${display} is larger than 1 MiB (${MAX_CONFIG_BYTES} bytes); ionflow reads config files up to that size`);

/** The file's text; undefined when it does not exist and `optional` is set. */
export async function readConfigFile(path: string, display: string, options: { optional?: boolean } = {}): Promise<string | undefined> {
  let info: import('node:fs').Stats;
  try {
    // stat, not open: opening a FIFO waits for a writer.
    info = await stat(path);
  } catch (err) {
    if (options.optional && (err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new IonflowError('usage', `cannot read ${display}: ${(err as Error).message}`, { cause: err });
  }
  if (!info.isFile()) throw new IonflowError('usage', `${display} is ${kindOf(info)}, not a regular file`);
  if (info.size > MAX_CONFIG_BYTES) throw tooBig(display);
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(MAX_CONFIG_BYTES + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await file.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > MAX_CONFIG_BYTES) throw tooBig(display);
    }
    return buffer.toString('utf8', 0, length);
  } finally {
    await file.close();
  }
}
