// `npm run build` bundles three dependencies into dist/lazy/ (see ./yaml.ts,
// ./commander.ts and ./aws-sdk.ts for why): yaml and commander whole, and of the AWS SDK only the exports
// listed in ./aws-sdk-exports.ts, from its ES modules so that the rest is
// left out.

// tsc has compiled the list by the time rolldown runs (see the build script).
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
    output: { file: 'dist/lazy/yaml.bundle.cjs', format: 'cjs', minify: true },
  },
  {
    input: 'node_modules/@commander-js/extra-typings/index.js',
    platform: 'node',
    logLevel: 'warn',
    // keepNames: commander names its errors after their classes (CommanderError, InvalidArgumentError).
    output: { file: 'dist/lazy/commander.bundle.cjs', format: 'cjs', minify: true, keepNames: true },
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
    },
  },
];
