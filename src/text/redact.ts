// Known credentials never reach the screen or a record (SPEC §17): hook and
// `run` output lines have their values replaced by `****`. The values come from
// ionflow's environment (what a script could echo by accident: `env`, `set -x`)
// and from whatever the AWS back end resolved (`addSecret`).

const CREDENTIAL_VARS = ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN'] as const;

// Shorter values would mask ordinary words; real secret keys are 40 characters.
const MIN_LENGTH = 6;

const resolved = new Set<string>();

/** A credential value the process learned otherwise (e.g. a profile's secret key). */
export function addSecret(value: string | undefined): void {
  if (value && value.length >= MIN_LENGTH) resolved.add(value);
}

export type Redact = (line: string) => string;

/** Masks the known credential values of `env` (and those added) in a line. */
export function redactor(env: NodeJS.ProcessEnv): Redact {
  const values = new Set(resolved);
  for (const name of CREDENTIAL_VARS) {
    const value = env[name];
    if (value && value.length >= MIN_LENGTH) values.add(value);
  }
  // Longest first, so a token that contains a key is masked whole.
  const secrets = [...values].sort((a, b) => b.length - a.length);
  if (secrets.length === 0) return (line) => line;
  return (line) => {
    let out = line;
    for (const s of secrets) if (out.includes(s)) out = out.split(s).join('****');
    return out;
  };
}
