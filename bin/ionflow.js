#!/usr/bin/env node
// The only file that touches process.exit: main() returns the exit code.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// The CLI as `npm run build` bundles it, loaded with its V8 code cache (src/lazy/code-cache.ts).
const { requireBundle } = await import('../dist/lazy/code-cache.js');
const { main } = requireBundle(new URL('../dist/lazy/ionflow.cjs', import.meta.url));
const code = await main(process.argv.slice(2));

// Writes to a pipe are asynchronous: exiting at once would cut the output at
// the pipe's buffer (64 KiB). An empty write calls back once everything
// written before it is handed to the OS (or the reader has gone: EPIPE).
const flushed = (stream) =>
  new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) return resolve();
    stream.once('error', resolve);
    stream.write('', resolve);
  });
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
// Still exit explicitly: a lingering socket or timer must not keep ionflow alive.
process.exit(code);
