// appspec.yml at a release's root: the lifecycle hooks the local compute group
// runs, in CodeDeploy's order (SPEC §6). `files` and `permissions` are not
// applied locally; traffic hooks have no meaning without a load balancer.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from '../../lazy/yaml.js';
import { IonflowError } from '../../model/errors.js';
import { orIfMissing } from '../../fs/or-if-missing.js';

/** The hooks a local deployment runs, in order. ApplicationStop comes from the previous release. */
export const LIFECYCLE_ORDER = ['ApplicationStop', 'BeforeInstall', 'AfterInstall', 'ApplicationStart', 'ValidateService'] as const;
export type LifecycleEvent = (typeof LIFECYCLE_ORDER)[number];

const TRAFFIC_EVENTS = new Set(['BeforeBlockTraffic', 'AfterBlockTraffic', 'BeforeAllowTraffic', 'AfterAllowTraffic']);
export const DEFAULT_HOOK_TIMEOUT_S = 3600;

export interface HookScript {
  location: string;
  timeoutS: number;
  runas?: string;
}

export interface AppSpec {
  hooks: Partial<Record<LifecycleEvent, HookScript[]>>;
}

function bad(file: string, message: string): IonflowError {
  return new IonflowError('stepFailed', `${file}: ${message}`, {
    hint: 'see the CodeDeploy AppSpec "hooks" section: each event lists {location, timeout, runas}',
  });
}

function parseScripts(file: string, event: string, value: unknown): HookScript[] {
  if (value == null) return [];
  if (!Array.isArray(value)) throw bad(file, `hooks.${event} must be a list of {location, timeout}`);
  return value.map((item, i) => {
    const s = item as { location?: unknown; timeout?: unknown; runas?: unknown } | null;
    if (!s || typeof s.location !== 'string' || s.location === '') {
      throw bad(file, `hooks.${event}[${i}].location must be a script path`);
    }
    const timeout = s.timeout ?? DEFAULT_HOOK_TIMEOUT_S;
    if (typeof timeout !== 'number' || !(timeout > 0)) {
      throw bad(file, `hooks.${event}[${i}].timeout must be a positive number of seconds`);
    }
    return { location: s.location, timeoutS: timeout, ...(typeof s.runas === 'string' ? { runas: s.runas } : {}) };
  });
}

/** The release's appspec.yml, or undefined when it has none (then no hook runs). */
export async function readAppSpec(releaseDir: string): Promise<AppSpec | undefined> {
  const file = join(releaseDir, 'appspec.yml');
  const text = await orIfMissing(readFile(file, 'utf8'), undefined);
  if (text === undefined) return undefined;
  return parseAppSpec(text);
}

/** appspec.yml's text, parsed (preflight reads HEAD's through git). */
export function parseAppSpec(text: string): AppSpec {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw bad('appspec.yml', `not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  const hooksRaw = (doc as { hooks?: unknown } | null)?.hooks;
  const spec: AppSpec = { hooks: {} };
  if (hooksRaw == null) return spec;
  if (typeof hooksRaw !== 'object' || Array.isArray(hooksRaw)) throw bad('appspec.yml', 'hooks must be a map');
  for (const [event, value] of Object.entries(hooksRaw)) {
    if (TRAFFIC_EVENTS.has(event)) continue;
    if (!(LIFECYCLE_ORDER as readonly string[]).includes(event)) {
      throw bad('appspec.yml', `unknown hook ${event} (expected one of ${LIFECYCLE_ORDER.join(', ')})`);
    }
    spec.hooks[event as LifecycleEvent] = parseScripts('appspec.yml', event, value);
  }
  return spec;
}
