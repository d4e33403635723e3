// The AWS SDK bundles (src/lazy/aws-sdk.ts): the built CLI loads them and
// not the packages, and they hold every export listed for them. That the code
// takes nothing else is checked by the type checker (see the last test).

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AWS_SDK_EXPORTS } from '../../src/lazy/aws-sdk-exports.js';
import { requireSdk } from '../../src/lazy/aws-sdk.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('the AWS SDK bundles', () => {
  it('are what the built CLI loads, and hold every listed export', () => {
    // npm test builds first; dist/lazy/aws-sdk.js must find the bundles beside it.
    const script = `
      const { requireSdk } = await import('./dist/lazy/aws-sdk.js');
      const { AWS_SDK_EXPORTS } = await import('./dist/lazy/aws-sdk-exports.js');
      const { createRequire } = await import('node:module');
      const missing = [];
      for (const [name, exports] of Object.entries(AWS_SDK_EXPORTS)) {
        const sdk = requireSdk(name);
        for (const e of exports) if (typeof sdk[e] !== 'function') missing.push(name + '.' + e);
      }
      const cache = Object.keys(createRequire(import.meta.url).cache);
      const bundles = [...globalThis[Symbol.for('ionflow.code-cache')].exports.keys()];
      console.log(JSON.stringify({
        bundles: bundles.filter((p) => /\\/dist\\/lazy\\/aws-sdk\\/[\\w-]+\\.cjs$/.test(p) && !p.includes('shared-')).length,
        packages: cache.filter((p) => /node_modules\\/@(aws-sdk|smithy)\\//.test(p)),
        missing,
      }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    expect(JSON.parse(out)).toEqual({ bundles: Object.keys(AWS_SDK_EXPORTS).length, packages: [], missing: [] });
  });

  it('offer the code only the listed exports (a type error otherwise)', () => {
    // Never called: `npm run typecheck` fails if an unlisted export becomes usable.
    const unlisted = () => {
      // @ts-expect-error ListBucketsCommand is not in AWS_SDK_EXPORTS, so not in the bundle
      return requireSdk('client-s3').ListBucketsCommand;
    };
    expect(typeof unlisted).toBe('function');
  });
});
