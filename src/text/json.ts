// JSON as ionflow writes it for people to read: two-space indents and a final
// newline. The --json arrays of history, check, runs and status, and every
// JSON file the stores, the local groups and the ledger keep, read alike.
// (Result maps and jsonl lines are one line each: cli/output.ts, render/jsonl.ts.)

export const jsonText = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
