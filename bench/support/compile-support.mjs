// Benches reuse the test servers (s3rver, fake AWS endpoint), which are
// TypeScript: compile them once into bench/.work/support-js with tsc.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const out = `${root}bench/.work/support-js`;

/** Compiled before the newest change to test/support: compile again. */
function stale() {
  if (!existsSync(`${out}/s3rver.js`)) return true;
  const built = statSync(`${out}/s3rver.js`).mtimeMs;
  const sources = readdirSync(`${root}test/support`, { recursive: true }).filter((f) => String(f).endsWith('.ts'));
  return sources.some((f) => statSync(`${root}test/support/${f}`).mtimeMs > built);
}

export async function loadTestSupport() {
  if (stale()) {
    execFileSync(
      process.execPath,
      [
        `${root}node_modules/typescript/bin/tsc`,
        '--outDir',
        out,
        '--rootDir',
        `${root}test/support`,
        '--module',
        'nodenext',
        '--moduleResolution',
        'nodenext',
        '--target',
        'es2023',
        '--types',
        'node',
        '--skipLibCheck',
        '--strict',
        '--ignoreConfig',
        `${root}test/support/s3rver.ts`,
        `${root}test/support/fake-aws/index.ts`,
      ],
      { stdio: 'inherit', cwd: root },
    );
  }
  const s3rver = await import(pathToFileURL(`${out}/s3rver.js`).href);
  const fakeAws = await import(pathToFileURL(`${out}/fake-aws/index.js`).href);
  return { ...s3rver, ...fakeAws };
}
