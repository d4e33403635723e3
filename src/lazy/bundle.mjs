// `npm run build`'s bundling step: rolldown.config.mjs through rolldown's
// JavaScript API. The rolldown CLI lists every chunk it writes (about 50
// lines in a newcomer's first command); the API prints only warnings and
// errors, so a build that succeeds prints nothing.

import { existsSync, readdirSync, rmSync } from 'node:fs';
import { build } from 'rolldown';
import configs from './rolldown.config.mjs';

// The CLI's chunks share dist/lazy/ with other files, so no cleanDir: remove the last build's (and their caches).
const old = existsSync('dist/lazy') ? readdirSync('dist/lazy') : [];
for (const name of old.filter((n) => /^ionflow[.-].*\.cjs$/.test(n) || n.endsWith('.v8cache'))) rmSync(`dist/lazy/${name}`);
for (const config of configs) await build(config);
