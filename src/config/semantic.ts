// The checks JSON Schema cannot express (SPEC §3): references between apps,
// groups and profiles, step ids and the graph, which store can feed which
// group, and durations. They read the raw YAML value defensively, so they can
// run next to the schema check and every problem is reported at once.

import { findCycle } from './needs-order.js';
import { didYouMean } from '../text/did-you-mean.js';
import { parseDuration } from './duration.js';
import { gateProblems } from './gates.js';
import { ionDevProblems, isIonDevApp } from './ion-dev-checks.js';
import type { Problem } from '../model/problem.js';
import { isRecord, rawSteps, type RawStep } from './steps.js';
import type { PathSegment, YamlSource } from './yaml-source.js';

const keysOf = (v: unknown): string[] => (isRecord(v) ? Object.keys(v) : []);

/** At most ten names in a message: a file of 20,000 keys must not make 20,000 messages of 20,000 names. */
function nameList(names: ReadonlySet<string> | readonly string[]): string {
  const total = 'size' in names ? names.size : names.length;
  const first: string[] = [];
  for (const n of names) {
    if (first.length === 10) break;
    first.push(n);
  }
  return total > 10 ? `${first.join(', ')}, … (${total - 10} more)` : first.join(', ');
}

function unknownRef(what: string, name: string, known: ReadonlySet<string> | readonly string[]): string {
  const list = ('size' in known ? known.size : known.length) ? `known ${what}s: ${nameList(known)}` : `no ${what}s are defined`;
  return `unknown ${what} '${name}'${didYouMean(name, [...known])} (${list})`;
}

export function semanticProblems(src: YamlSource): Problem[] {
  const root = src.value;
  if (!isRecord(root)) return [];
  const problems: Problem[] = [];
  const at = (path: PathSegment[], message: string, key = false) => problems.push(src.at(path, message, { key }));
  const profiles = keysOf(root.profiles);
  const apps = isRecord(root.apps) ? root.apps : {};
  const groups = isRecord(root.groups) ? root.groups : {};
  const appKeys = Object.keys(apps);
  const sets = new Map<string[], Set<string>>();
  const ref = (path: PathSegment[], what: string, name: unknown, known: string[]) => {
    if (!sets.has(known)) sets.set(known, new Set(known));
    if (typeof name === 'string' && !sets.get(known)!.has(name)) at(path, unknownRef(what, name, known));
  };

  problems.push(...ionDevProblems(src, apps, groups, profiles));

  for (const [key, app] of Object.entries(apps)) {
    if (!isRecord(app) || !isRecord(app.store) || !isRecord(app.store.s3)) continue;
    if (app.store['keep-revisions'] !== undefined) {
      at(
        ['apps', key, 'store', 'keep-revisions'],
        `'keep-revisions' prunes local stores only; an S3 store keeps every revision (use a bucket lifecycle rule there)`,
        true,
      );
    }
    ref(['apps', key, 'store', 's3', 'profile'], 'profile', app.store.s3.profile, profiles);
    // Keys are <prefix><app-name>/<name>.zip: a prefix without its slash runs into the app-name.
    const prefix = app.store.s3.prefix;
    if (typeof prefix === 'string' && prefix !== '' && !prefix.endsWith('/')) {
      at(['apps', key, 'store', 's3', 'prefix'], `prefix '${prefix}' must end with '/' (else keys read ${prefix}<app-name>/…): write '${prefix}/'`);
    }
  }

  for (const [key, group] of Object.entries(groups)) {
    if (!isRecord(group)) continue;
    ref(['groups', key, 'app'], 'app', group.app, appKeys);
    // ion-dev apps and groups go together; ionDevProblems says so.
    if (isIonDevApp(apps, group.app) || isRecord(group['ion-dev'])) continue;
    const aws = group.aws;
    if (!isRecord(aws)) continue;
    ref(['groups', key, 'aws', 'profile'], 'profile', aws.profile, profiles);
    const via = aws.via ?? 'step-functions';
    if (via === 'codedeploy' && aws['state-machine'] !== undefined) {
      at(['groups', key, 'aws', 'state-machine'], `'state-machine' is only used with via: step-functions`, true);
    }
    if (via === 'step-functions' && aws.rollback !== undefined) {
      at(['groups', key, 'aws', 'rollback'], `'rollback' is only used with via: codedeploy`, true);
    }
    const app = typeof group.app === 'string' && Object.hasOwn(apps, group.app) ? apps[group.app] : undefined;
    if (isRecord(app) && !(isRecord(app.store) && 's3' in app.store)) {
      at(
        ['groups', key, 'aws'],
        `group '${key}' is an aws group but app '${group.app}' has a local store, which cannot feed it; give the app an s3 store`,
        true,
      );
    }
  }

  problems.push(...gateProblems(src, groups));

  for (const [key, pipeline] of Object.entries(isRecord(root.pipelines) ? root.pipelines : {})) {
    if (isRecord(pipeline)) problems.push(...pipelineProblems(src, key, pipeline.steps, new Set(appKeys), new Set(Object.keys(groups))));
  }
  return problems;
}

function pipelineProblems(src: YamlSource, key: string, steps: unknown, apps: Set<string>, groups: Set<string>): Problem[] {
  const problems: Problem[] = [];
  const base = (s: RawStep): PathSegment[] => ['pipelines', key, 'steps', s.index];
  const at = (path: PathSegment[], message: string, key = false) => problems.push(src.at(path, message, { key }));
  const list = rawSteps(steps);
  const firstById = new Map<string, RawStep>();

  for (const s of list) {
    const w = s.raw.wait;
    if (s.kind === 'push' && s.target !== undefined && !apps.has(s.target)) {
      at([...base(s), 'push'], unknownRef('app', s.target, apps));
    }
    if ((s.kind === 'deploy' || s.kind === 'wait') && s.target !== undefined && !groups.has(s.target)) {
      const path = s.kind === 'wait' && isRecord(w) ? [...base(s), 'wait', 'group'] : [...base(s), s.kind];
      at(path, unknownRef('group', s.target, groups));
    }
    const durations: [PathSegment[], unknown][] = [[[...base(s), 'timeout'], s.raw.timeout]];
    if (isRecord(w)) durations.push([[...base(s), 'wait', 'timeout'], w.timeout], [[...base(s), 'wait', 'poll'], w.poll]);
    for (const [path, value] of durations) {
      if (typeof value === 'string' && /^[0-9]+(s|m|h)$/.test(value) && parseDuration(value) === undefined) {
        at(path, `'${String(path[path.length - 1])}' must be longer than 0 (e.g. 90s, 15m, 1h)`);
      }
    }
    const first = firstById.get(s.id);
    if (first) {
      const how = s.explicitId ? '' : `; give one of them an 'id'`;
      at(s.explicitId ? [...base(s), 'id'] : base(s), `duplicate step id '${s.id}' (also step ${first.index + 1})${how}`);
    } else firstById.set(s.id, s);
  }

  const ids = new Set(firstById.keys());
  for (const s of list) {
    if (!s.explicitNeeds) continue;
    (s.raw.needs as unknown[]).forEach((need, i) => {
      if (typeof need === 'string' && !firstById.has(need)) {
        const known = nameList(ids);
        at([...base(s), 'needs', i], `step '${s.id}' needs unknown step '${need}'${didYouMean(need, [...ids])} (steps of '${key}': ${known})`);
      }
    });
  }

  const cycle = findCycle([...firstById.values()]);
  if (cycle) {
    const start = firstById.get(cycle[0]!)!;
    const path = start.explicitNeeds ? [...base(start), 'needs'] : base(start);
    at(path, `the steps of pipeline '${key}' form a cycle: ${cycle.join(' -> ')}`);
  }
  return problems;
}
