// `ionflow '{:op :push}'`: the ion-dev op maps, translated to the same
// commands and options as the flag form.

import { parseEDNString } from '../lazy/edn.js';
import { IonflowError, usageError } from '../model/errors.js';

export interface OpInvocation {
  command: 'push' | 'deploy' | 'deploy-status';
  options: Record<string, string | boolean>;
  global: { credsProfile?: string; region?: string };
}

const OP_KEYS: Record<OpInvocation['command'], Record<string, string>> = {
  push: { app: 'app', uname: 'uname', rev: 'rev', force: 'force' },
  deploy: { group: 'group', rev: 'rev', uname: 'uname' },
  'deploy-status': { 'execution-arn': 'executionArn', 'deployment-id': 'deploymentId', group: 'group', wait: 'wait' },
};

// The keys that are flags take true or false; every other key a string (or a symbol or keyword, read as one).
const FLAGS = new Set(['force', 'wait']);

/** A value as the message shows it (JSON.stringify would throw on an EDN big integer). */
const shown = (raw: unknown) =>
  typeof raw === 'string' ? JSON.stringify(raw) : raw === null || raw === undefined ? 'nil' : typeof raw === 'object' ? 'a collection' : String(raw);

const camel = (key: string) => key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

export function parseOpMap(text: string): OpInvocation {
  let value: unknown;
  try {
    value = parseEDNString(text, { mapAs: 'object', keywordAs: 'string', symbolAs: 'string' });
  } catch (err) {
    throw usageError(`cannot read the op map ${text}: ${(err as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw usageError(`the op map must be an EDN map like '{:op :push}', got ${text}`);
  }
  const map = value as Record<string, unknown>;
  const op = map.op;
  if (op !== 'push' && op !== 'deploy' && op !== 'deploy-status') {
    throw usageError(`unknown :op ${String(op)}; expected :push, :deploy or :deploy-status`);
  }
  const allowed = OP_KEYS[op];
  const result: OpInvocation = { command: op, options: {}, global: {} };
  for (const [key, raw] of Object.entries(map)) {
    if (key === 'op') continue;
    if (key === 'creds-profile' || key === 'region') {
      if (typeof raw !== 'string') throw usageError(`:${key} must be a string`);
      result.global[camel(key) as 'credsProfile' | 'region'] = raw;
      continue;
    }
    const option = Object.hasOwn(allowed, key) ? allowed[key] : undefined;
    if (!option) throw usageError(`:${key} is not a key of {:op :${op}}`);
    if (FLAGS.has(key)) {
      if (typeof raw !== 'boolean') throw usageError(`:${key} must be true or false, got ${shown(raw)}`);
    } else if (typeof raw !== 'string') throw usageError(`:${key} must be a string, got ${shown(raw)}`);
    result.options[option] = raw;
  }
  requiredKeys(op, map);
  return result;
}

/** What each op needs, said in the op map's own words (`:rev`, not `--rev`). */
function requiredKeys(op: OpInvocation['command'], map: Record<string, unknown>): void {
  const has = (key: string) => key in map;
  const example = `'{:op :deploy :group "dev" :rev "<sha>"}'`;
  if (op !== 'deploy-status' && has('rev') && has('uname')) throw usageError('give :rev or :uname, not both');
  if (op === 'deploy') {
    if (!has('group')) throw usageError(':group is required', { hint: `for example ${example}` });
    if (!has('rev') && !has('uname')) throw usageError(':rev or :uname is required', { hint: `for example ${example}` });
  }
  if (op === 'deploy-status') {
    if (has('execution-arn') && has('deployment-id')) throw usageError('give :execution-arn or :deployment-id, not both');
    if (has('deployment-id') && !has('group')) throw usageError(':deployment-id needs :group');
    if (!has('execution-arn') && !has('deployment-id') && !has('group')) {
      throw usageError(':execution-arn is required (or :deployment-id with :group)', { hint: `for example '{:op :deploy-status :execution-arn "arn:…"}'` });
    }
  }
}

const FLAG_WORDS = /--(app|uname|rev|force|group|execution-arn|deployment-id|wait)\b/g;

/**
 * An error of an op map's command, in the op map's words: a message that
 * names a flag (`--rev x does not name a commit`) names the key instead.
 * Hints, and messages that quote a command line, keep their flags: they are commands to type.
 */
export function ednWorded(err: unknown): unknown {
  if (!(err instanceof IonflowError) || err.message.includes('ionflow ')) return err;
  const message = err.message.replace(FLAG_WORDS, ':$1');
  if (message === err.message) return err;
  return new IonflowError(err.kind, message, { hint: err.hint, details: err.details, cause: err });
}
