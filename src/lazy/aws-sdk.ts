// The AWS SDK packages ionflow calls, loaded from the bundles `npm run build`
// makes in dist/lazy/aws-sdk/ (src/lazy/rolldown.config.mjs): rolldown
// builds them from the SDK's ES modules and keeps only the exports listed in
// ./aws-sdk-exports.ts, the way AWS suggests bundling the SDK for Lambda.
// Resolving and reading the @aws-sdk and @smithy packages file by file, each
// with every command of its service, took about a quarter of an up-to-date
// push. Where there are no bundles (the TypeScript sources under vitest) the
// packages themselves are loaded: the same SDK code, unbundled.
//
// Either way with require(), not import(): the SDK ships CommonJS, and Node's
// ESM loader scans CommonJS sources for export names, which about doubles
// the load time.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { AWS_SDK_EXPORTS } from './aws-sdk-exports.js';
import { requireBundle } from './code-cache.js';

interface Sdk {
  'client-s3': typeof import('@aws-sdk/client-s3');
  'lib-storage': typeof import('@aws-sdk/lib-storage');
  'client-codedeploy': typeof import('@aws-sdk/client-codedeploy');
  'client-sfn': typeof import('@aws-sdk/client-sfn');
  'client-sts': typeof import('@aws-sdk/client-sts');
}
type Name = keyof Sdk & keyof typeof AWS_SDK_EXPORTS;
/** What a bundle holds: the listed exports of its package, nothing else. */
type Bundled<N extends Name> = Pick<Sdk[N], Extract<(typeof AWS_SDK_EXPORTS)[N][number], keyof Sdk[N]>>;

const require = createRequire(import.meta.url);
const bundlePath = (name: Name) => fileURLToPath(new URL(`./aws-sdk/${name}.cjs`, import.meta.url));
const NAMES: Name[] = ['client-s3', 'lib-storage', 'client-codedeploy', 'client-sfn', 'client-sts'];
let useBundles: boolean | undefined;

/**
 * `@aws-sdk/<name>`. Bundles or packages are chosen once a process, for all
 * names: one process never mixes the two (two copies of the SDK's core).
 */
export function requireSdk<N extends Name>(name: N): Bundled<N> {
  useBundles ??= NAMES.every((n) => existsSync(bundlePath(n)));
  return (useBundles ? requireBundle(bundlePath(name)) : require(`@aws-sdk/${name}`)) as Bundled<N>;
}
