// `ionflow run <pipeline> --resume [<run-id>]` (SPEC §12): run a journaled
// run's revision again, taking each step that succeeded in it as done, and
// each deployment it started that is still RUNNING, or has SUCCEEDED since,
// as this run's own: never a second push or a second deployment of it.

import { createGroup } from '../backends/group-factory.js';
import type { BackendOptions } from '../backends/types.js';
import { type DeploymentId, idField, idText } from '../model/deployment.js';
import type { DeployConfig, PipelineConfig, StepConfig } from '../model/config.js';
import { preconditionError, usageError } from '../model/errors.js';
import type { RunRevision, StepOutcome, StepRunner } from '../engine/step-types.js';
import { appLedger } from '../backends/ledger/read.js';
import { type JournalLine, listJournals, type RunJournal, readJournal } from '../journal/read.js';

export type ResumeChoice = { succeeded: RunJournal } | { journal: RunJournal; revision: RunRevision; wrap(runner: StepRunner): StepRunner };

export const resumeCommand = (pipeline: string, run: string) => `ionflow run ${pipeline} --resume ${run}`;

function chooseJournal(config: DeployConfig, pipeline: PipelineConfig, given: string | undefined): RunJournal | { succeeded: RunJournal } {
  const runs = listJournals(config.dir).filter((j) => j.pipeline === pipeline.key);
  // A run that a later --resume took up is done with: the newest run of its chain stands for it.
  const resumedBy = new Map<string, RunJournal>();
  for (const j of runs) if (j.resumes !== undefined && !resumedBy.has(j.resumes)) resumedBy.set(j.resumes, j);
  const latest = (j: RunJournal) => {
    let at = j;
    // Bounded: a resume is always newer than what it resumes, but journals are files anyone can edit.
    for (let n = 0, next = resumedBy.get(at.id); next && n < runs.length; n++, next = resumedBy.get(at.id)) at = next;
    return at;
  };
  if (given !== undefined) {
    const named = readJournal(config.dir, given);
    if (!named) throw preconditionError(`no journal of run ${given} in ${config.dir}/.ionflow/runs`, { hint: 'list the runs with: ionflow runs' });
    if (named.pipeline !== pipeline.key) throw usageError(`run ${given} is a run of pipeline ${named.pipeline}, not ${pipeline.key}`);
    const journal = latest(named);
    return journal.status === 'succeeded' ? { succeeded: journal } : journal;
  }
  const open = runs.find((j) => j.status !== 'succeeded' && !resumedBy.has(j.id));
  if (open) return open;
  if (runs[0]) return { succeeded: runs[0] };
  throw preconditionError(`pipeline ${pipeline.key} has no journaled run to resume`, { hint: `run it: ionflow run ${pipeline.key}` });
}

const lineId = (end: JournalLine | undefined): DeploymentId | undefined =>
  typeof end?.['execution-arn'] === 'string'
    ? { executionArn: end['execution-arn'] }
    : typeof end?.['deployment-id'] === 'string'
      ? { deploymentId: end['deployment-id'] }
      : undefined;

export async function planResume(config: DeployConfig, pipeline: PipelineConfig, given: string | undefined, backend?: BackendOptions): Promise<ResumeChoice> {
  const chosen = chooseJournal(config, pipeline, given);
  if ('succeeded' in chosen) return chosen;
  const journal = chosen;
  const revision: RunRevision = journal.uname !== undefined ? { uname: journal.uname, named: false } : { rev: journal.rev ?? '', named: true };
  if (journal.uname === undefined && !journal.rev) throw preconditionError(`run ${journal.id} has no revision in its journal; it cannot be resumed`);
  const ends = new Map<string, JournalLine>();
  for (const line of journal.lines) if (line.type === 'step-end') ends.set(String(line.step), line);
  const done = new Map<string, StepOutcome>();
  const detail = `skipped (done in run ${journal.id})`;
  let ledger: Awaited<ReturnType<typeof appLedger>> | undefined;

  for (const step of pipeline.steps) {
    const end = ends.get(step.id);
    const ok = end !== undefined && (end.status === 'succeeded' || end.status === 'skipped');
    if (step.kind === 'deploy') {
      const taken = await takeOver(step, ok ? lineId(end) : undefined);
      if (taken) done.set(step.id, taken);
    } else if (ok && step.kind === 'push') {
      const name = typeof end.uname === 'string' ? { uname: end.uname } : typeof end.rev === 'string' ? { rev: end.rev } : undefined;
      done.set(step.id, { skipped: true, detail, ...(name ? { pushed: { app: step.app, revision: name }, facts: name } : {}) });
    } else if (ok) done.set(step.id, { skipped: true, detail });
  }

  // A deployment the run started (from its journal, else from the ledger's `run`) that is RUNNING or SUCCEEDED now.
  async function takeOver(step: Extract<StepConfig, { kind: 'deploy' }>, fromJournal: DeploymentId | undefined): Promise<StepOutcome | undefined> {
    let id = fromJournal;
    if (!id) {
      const app = config.groups[step.group]?.app;
      if (app === undefined) return undefined;
      ledger ??= await appLedger(config, app, backend);
      id = ledger.get(step.group)?.find((r) => r.run === journal.id)?.id;
    }
    if (!id) return undefined;
    const status = await (await createGroup(config, step.group, backend)).status(id);
    if (status.deployStatus !== 'RUNNING' && status.deployStatus !== 'SUCCEEDED') return undefined;
    return {
      skipped: true,
      started: status.deployStatus === 'RUNNING',
      detail: `${detail}: deployment ${idText(id)} is ${status.deployStatus}`,
      deployment: { group: step.group, id },
      facts: { group: step.group, ...idField(id), 'deploy-status': status.deployStatus },
    };
  }

  return {
    journal,
    revision,
    wrap: (runner) => (step, input) => {
      const prior = done.get(step.id);
      return prior ? Promise.resolve(prior) : runner(step, input);
    },
  };
}
