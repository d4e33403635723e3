#!/usr/bin/env node
// The only file that touches process.exit: main() returns the exit code.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { main } = await import('../dist/cli/main.js');
process.exit(await main(process.argv.slice(2)));
