// The AWS SDK packages ionflow calls, loaded from the bundles `npm run build`
// makes in dist/vendor/aws-sdk/ (src/vendor/rolldown.config.mjs): rolldown
// builds them from the SDK's ES modules and keeps only the clients and
// commands ionflow uses, the way AWS suggests bundling the SDK for Lambda.
// Resolving and reading some 40 @aws-sdk and @smithy packages file by file,
// each with every command of its service, took about a quarter of an
// up-to-date push. Where there are no bundles (the TypeScript sources under
// vitest) the packages themselves are loaded: the same SDK code, unbundled.
//
// Either way with require(), not import(): the SDK ships CommonJS, and Node's
// ESM loader scans CommonJS sources for export names, which about doubles
// the load time.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

interface Sdk {
  'client-s3': typeof import('@aws-sdk/client-s3');
  'lib-storage': typeof import('@aws-sdk/lib-storage');
  'client-codedeploy': typeof import('@aws-sdk/client-codedeploy');
  'client-sfn': typeof import('@aws-sdk/client-sfn');
}

const require = createRequire(import.meta.url);

/**
 * `@aws-sdk/<name>`, bundled when a bundle was built. A bundle holds only
 * the exports listed in src/vendor/rolldown.config.mjs (a test checks that
 * they cover every name ionflow uses).
 */
export function requireSdk<N extends keyof Sdk>(name: N): Sdk[N] {
  const bundle = fileURLToPath(new URL(`./aws-sdk/${name}.cjs`, import.meta.url));
  return require(existsSync(bundle) ? bundle : `@aws-sdk/${name}`) as Sdk[N];
}
