// The AWS SDK bundles (src/vendor/aws-sdk.ts): the built CLI loads them and
// not the packages, and they export exactly the names the code uses. A name
// used but left out of src/vendor/rolldown.config.mjs would only fail at
// run time, in the built CLI, on the call that needs it.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AWS_SDK_EXPORTS } from '../../src/vendor/rolldown.config.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const USERS = ['src/backends/aws/clients.ts', 'src/backends/aws/s3-store.ts'];

/** Names the code takes from each package: `{ A, B } = requireSdk('x')`, or `sdk = requireSdk('x')` then `sdk.A`. */
function namesUsed(): Record<string, string[]> {
  const used: Record<string, Set<string>> = {};
  for (const file of USERS) {
    const source = readFileSync(`${ROOT}${file}`, 'utf8');
    // Each requireSdk call up to the next one: the names after it belong to its package.
    const parts = source.split(/(?=(?:const \{[^}]*\}|const sdk) = requireSdk\(')/).slice(1);
    for (const part of parts) {
      const name = /requireSdk\('([\w-]+)'\)/.exec(part)![1]!;
      used[name] ??= new Set();
      const set = used[name];
      const destructured = /^const \{([^}]*)\}/.exec(part);
      if (destructured) for (const n of destructured[1]!.split(',')) set.add(n.trim());
      else for (const m of part.matchAll(/\bsdk\.(\w+)/g)) set.add(m[1]!);
    }
  }
  return Object.fromEntries(Object.entries(used).map(([k, v]) => [k, [...v].sort()]));
}

describe('the AWS SDK bundles', () => {
  it('list exactly the exports the code uses, package by package', () => {
    const listed = Object.fromEntries(Object.entries(AWS_SDK_EXPORTS).map(([k, v]) => [k, [...v].sort()]));
    const used = namesUsed();
    expect(Object.keys(used).sort()).toEqual(['client-codedeploy', 'client-s3', 'client-sfn', 'lib-storage']);
    expect(listed).toEqual(used);
  });

  it('are what the built CLI loads, and export every listed name', () => {
    // npm test builds first; dist/vendor/aws-sdk.js must find the bundles beside it.
    const script = `
      const { requireSdk } = await import('./dist/vendor/aws-sdk.js');
      const { createRequire } = await import('node:module');
      const listed = ${JSON.stringify(AWS_SDK_EXPORTS)};
      const missing = [];
      for (const [name, exports] of Object.entries(listed)) {
        const sdk = requireSdk(name);
        for (const e of exports) if (typeof sdk[e] !== 'function') missing.push(name + '.' + e);
      }
      const cache = Object.keys(createRequire(import.meta.url).cache);
      console.log(JSON.stringify({
        bundles: cache.filter((p) => /\\/dist\\/vendor\\/aws-sdk\\/[\\w-]+\\.cjs$/.test(p) && !p.includes('shared-')).length,
        packages: cache.filter((p) => /node_modules\\/@(aws-sdk|smithy)\\//.test(p)),
        missing,
      }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    expect(JSON.parse(out)).toEqual({ bundles: 4, packages: [], missing: [] });
  });
});
