// `npm run build`'s bundling step: rolldown.config.mjs through rolldown's
// JavaScript API. The rolldown CLI lists every chunk it writes (about 50
// lines in a newcomer's first command); the API prints only warnings and
// errors, so a build that succeeds prints nothing.

import { build } from 'rolldown';
import configs from './rolldown.config.mjs';

for (const config of configs) await build(config);
