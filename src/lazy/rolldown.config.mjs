// `npm run build` bundles the dependencies on every command's path into dist/lazy/ (see ./yaml.ts,
// ./commander.ts and ./aws-sdk.ts for why): yaml, edn-data and commander whole, and of the AWS SDK only the exports
// listed in ./aws-sdk-exports.ts, from its ES modules so that the rest is
// left out. And the CLI itself, as tsc wrote it to dist/: see the last entry.

// tsc has compiled the list by the time rolldown runs (see the build script).
import { isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AWS_SDK_EXPORTS } from '../../dist/lazy/aws-sdk-exports.js';

const ENTRY = 'ionflow-aws-sdk:';

/** One entry module a package: `export { … } from '@aws-sdk/<package>'`. */
const awsSdkEntries = {
  name: 'ionflow-aws-sdk-entries',
  resolveId: (id) => (id.startsWith(ENTRY) ? id : null),
  load(id) {
    if (!id.startsWith(ENTRY)) return null;
    const name = id.slice(ENTRY.length);
    return `export { ${AWS_SDK_EXPORTS[name].join(', ')} } from '@aws-sdk/${name}';\n`;
  },
};

export default [
  {
    input: 'node_modules/yaml/dist/index.js',
    platform: 'node',
    logLevel: 'warn',
    output: { file: 'dist/lazy/yaml.bundle.cjs', format: 'cjs', minify: true, dynamicImportInCjs: false },
  },
  // edn-data (every command that prints EDN or reads ion-config.edn): small, but each file of a package
  // is one more compile without a cache.
  {
    input: 'node_modules/edn-data',
    platform: 'node',
    logLevel: 'warn',
    output: { file: 'dist/lazy/edn-data.bundle.cjs', format: 'cjs', minify: true, dynamicImportInCjs: false },
  },
  {
    input: 'node_modules/@commander-js/extra-typings/index.js',
    platform: 'node',
    logLevel: 'warn',
    // keepNames: commander names its errors after their classes (CommanderError, InvalidArgumentError).
    output: { file: 'dist/lazy/commander.bundle.cjs', format: 'cjs', minify: true, keepNames: true, dynamicImportInCjs: false },
  },
  {
    input: Object.fromEntries(Object.keys(AWS_SDK_EXPORTS).map((name) => [name, `${ENTRY}${name}`])),
    plugins: [awsSdkEntries],
    platform: 'node',
    // The SDK's ES modules ("module") can be tree-shaken; its CommonJS ("main") cannot.
    resolve: { mainFields: ['module', 'main'] },
    logLevel: 'warn',
    output: {
      dir: 'dist/lazy/aws-sdk',
      format: 'cjs',
      minify: true,
      entryFileNames: '[name].cjs',
      chunkFileNames: 'shared-[hash].cjs',
      cleanDir: true, // no chunks left over from an older build
      keepNames: true, // error and class names stay as the SDK wrote them
      dynamicImportInCjs: false, // see below
    },
  },
  {
    // The CLI (dist/cli/main.js and what it imports) as CommonJS: dist/lazy/ionflow.cjs, plus one chunk a
    // lazily loaded command or back end. bin/ionflow.js loads it with its V8 code cache (./code-cache.ts),
    // which Node 20 can do for CommonJS only; compiling some 90 ES modules was about a third of an
    // up-to-date `run` (npm run bench -- run). Packages stay outside (node_modules, and the bundles above,
    // which ./yaml.ts and the others load by a path relative to themselves: so the chunks sit in
    // dist/lazy/ too, one folder below dist/ as tsc's output does).
    input: { ionflow: fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url)) },
    platform: 'node',
    external: (id) => !id.startsWith('.') && !isAbsolute(id),
    logLevel: 'warn',
    output: {
      dir: 'dist/lazy',
      format: 'cjs',
      entryFileNames: '[name].cjs',
      chunkFileNames: 'ionflow-[name]-[hash].cjs',
      // import() of a package becomes require() in every bundle: on Node 20 an import() in a script
      // compiled from a code cache fails ("A dynamic import callback was not specified").
      dynamicImportInCjs: false,
    },
  },
];
