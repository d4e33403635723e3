// A named AWS profile (--creds-profile, or a profile's aws-profile) must be
// one of the shared config or credentials files: the SDK's answer for a
// misspelt one is "Could not load credentials from any providers", which
// reads like expired keys. Checked once, before the first AWS call of any
// command (push, deploy, status …), against the files the SDK itself reads.

import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { similarNames } from '../../text/did-you-mean.js';
import { usageError } from '../../model/errors.js';

/** The files the SDK reads profiles from, as it finds them (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/). */
export function sharedFiles(env: NodeJS.ProcessEnv): { config: string; credentials: string } {
  const home = env.HOME || homedir();
  const expand = (p: string) => (p.startsWith('~/') ? join(home, p.slice(2)) : p);
  return {
    config: expand(env.AWS_CONFIG_FILE || join(home, '.aws', 'config')),
    credentials: expand(env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials')),
  };
}

/** Profile names of an INI file: `[default]`, `[name]`, and in the config file `[profile name]`. */
function sectionNames(text: string, configFile: boolean): string[] {
  const names: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*\[\s*([^\]]+?)\s*\]/.exec(line);
    if (!m) continue;
    const section = m[1]!;
    const profile = /^profile\s+(.+)$/.exec(section)?.[1]?.trim();
    // The config file's other sections (sso-session, services) are not profiles.
    if (configFile) {
      if (profile) names.push(profile);
      else if (section === 'default') names.push(section);
    } else names.push(section);
  }
  return names;
}

const readOrEmpty = (path: string) => readFile(path, 'utf8').catch(() => '');

/** Refuse (exit 2) a profile neither file defines, naming the files and the profiles they have. */
export async function requireProfile(profile: string, env: NodeJS.ProcessEnv): Promise<void> {
  const files = sharedFiles(env);
  const [config, credentials] = await Promise.all([readOrEmpty(files.config), readOrEmpty(files.credentials)]);
  const known = [...new Set([...sectionNames(config, true), ...sectionNames(credentials, false)])];
  if (known.includes(profile)) return;
  const close = similarNames(profile, known).slice(0, 2);
  const list = known.length ? `; profiles there: ${known.join(', ')}` : '; it defines no profiles';
  throw usageError(`AWS profile ${profile} not found in ${files.config} or ${files.credentials}${list}`, {
    hint: close.length
      ? `did you mean ${close.join(' or ')}? (--creds-profile, or aws-profile in deploy.yaml)`
      : `add [profile ${profile}] to ${files.config} (aws configure --profile ${profile}), or name another with --creds-profile`,
  });
}
