// The command line of SPEC §2: every command and flag is declared here, and
// each action loads its implementation (src/cli/commands/<name>.ts) only when
// that command runs, so `validate` never pays for the AWS SDK or listr2.

import type { OptionValues } from '@commander-js/extra-typings';
import { Command, InvalidArgumentError, Option } from '../lazy/commander.js';
import type { CliContext, GlobalOptions } from './context.js';

export const VERSION = '0.1.0';

/** A command module: its default export runs the command with what commander parsed. */
type Loader<O, A extends unknown[]> = () => Promise<{ default: (ctx: CliContext, options: O, ...args: A) => Promise<number> }>;

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive whole number');
  return n;
}

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number of milliseconds');
  return n;
}

export interface ProgramHooks {
  /** Build the context once global options are known, then run the command with it. */
  invoke(global: GlobalOptions, run: (ctx: CliContext) => Promise<number>): Promise<void>;
}

/**
 * The flags every command takes (SPEC §2), also after an op map:
 * `ionflow '{:op :push}' --json`. On the program they are parsed wherever they
 * appear, and each command's help lists them under "Global Options"; `--json`
 * is declared only by the commands that print a map or a table.
 */
export function withGlobalOptions<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  command: Command<A, O, G>,
  { json = true }: { json?: boolean } = {},
) {
  const common = command
    .option('-c, --config <file>', 'deploy.yaml to use (default: ./deploy.yaml or the nearest parent folder’s)')
    .option('--creds-profile <aws-profile>', 'AWS profile to use instead of the config’s')
    .option('--region <region>', 'AWS region')
    .option('--debug', 'print stack traces');
  return json ? common.option('--json', JSON_HELP) : common;
}

const JSON_HELP = 'print the result as JSON instead of EDN or text';

/**
 * The program, typed by @commander-js/extra-typings: each action receives its
 * arguments and options as its declarations define them (a string, a
 * number from an argParser, `true` for a switch), and `start` checks them
 * against what the command module's default export takes: a flag parsed to
 * another type than the module expects is a type error, not a surprise at
 * run time.
 */
export function buildProgram(hooks: ProgramHooks) {
  const program = withGlobalOptions(
    new Command('ionflow')
      .description('Push application revisions and deploy them to compute groups, from a checked-in deploy.yaml.')
      .version(VERSION, '--version', 'print the version')
      .helpOption('-h, --help', 'show help')
      // Set before the commands are made, which copy it: each command's help shows the common flags.
      .configureHelp({ showGlobalOptions: true }),
    { json: false },
  )
    .showHelpAfterError('(add --help for usage)')
    .allowExcessArguments(false);

  // Global options are read from the command that runs: they may follow its name.
  const start = <O, A extends unknown[]>(command: { optsWithGlobals(): GlobalOptions }, load: Loader<O, A>, options: O, ...args: A) =>
    hooks.invoke(command.optsWithGlobals(), async (ctx) => (await load()).default(ctx, options, ...args));

  // lazy: every command module at once costs 108 ms, validate's alone 38 ms: each action loads its own (npm run bench -- imports; node -e 0: 85 ms)
  program
    .command('init')
    .description('write a starter deploy.yaml (refuses to overwrite)')
    .action((options, command) => start(command, () => import('./commands/init.js'), options));

  program
    .command('validate')
    .description('check deploy.yaml and every referenced ion-config.edn')
    .action((options, command) => start(command, () => import('./commands/validate.js'), options));

  program
    .command('list')
    .description('list pipelines with their descriptions and steps')
    .option('--json', JSON_HELP)
    .action((options, command) => start(command, () => import('./commands/list.js'), options));

  program
    .command('plan')
    .description('show the resolved task graph of a pipeline; changes nothing')
    .argument('<pipeline>', 'pipeline name')
    .option('--rev <commit>', 'plan for this commit instead of HEAD')
    .option('--uname <name>', 'plan an unreproducible push named <name>')
    .option('--force', 'treat up-to-date steps as to be redone')
    .option('--json', JSON_HELP)
    .action((pipeline, options, command) => start(command, () => import('./commands/plan.js'), options, pipeline));

  // run and watch print events, not a result map: --json would be ignored, so it is refused (openSession).
  const runFlags = <A extends unknown[], O extends OptionValues, G extends OptionValues>(cmd: Command<A, O, G>) =>
    cmd
      .argument('<pipeline>', 'pipeline name')
      .option('--yes', 'answer confirm steps with yes')
      .option('--force', 'redo up-to-date steps')
      .option('--no-preflight', 'skip the preflight checks before the first step')
      .addOption(new Option('--concurrency <n>', 'parallel steps').default(4).argParser(positiveInt))
      .addOption(new Option('--output <mode>', 'progress output').choices(['auto', 'tty', 'plain', 'jsonl']).default('auto'))
      .addOption(new Option('--json').hideHelp());

  runFlags(program.command('run').description('run a pipeline'))
    .option('--rev <commit>', 'use this commit instead of HEAD')
    .option('--uname <name>', 'push the working tree as an unreproducible revision named <name>')
    .option('--resume [run-id]', 'resume a run that failed or was interrupted (default: the pipeline’s newest such run)')
    .option('--override-gate <reason>', 'deploy past promotion gates, recording why')
    .action((pipeline, options, command) => start(command, () => import('./commands/run.js'), options, pipeline));

  // watch always follows HEAD: --rev/--uname are not listed, and refused with the reason (watch.ts).
  runFlags(program.command('watch').description('run a pipeline now, then again for each new commit'))
    .addOption(new Option('--rev <commit>').hideHelp())
    .addOption(new Option('--uname <name>').hideHelp())
    .addOption(new Option('--debounce <ms>', 'fold commits arriving within this window').default(200).argParser(nonNegativeInt))
    .addOption(new Option('--on-new-commit <mode>', 'what a new commit does to a run in flight').choices(['queue', 'restart']).default('queue'))
    .action((pipeline, options, command) => start(command, () => import('./commands/watch.js'), options, pipeline));

  program
    .command('check')
    .description('preflight: identities, buckets, applications, groups, state machines, hook scripts; changes nothing')
    .argument('[pipeline]', 'check what this pipeline needs (default: every app and group)')
    .option('--json', JSON_HELP)
    .action((pipeline, options, command) => start(command, () => import('./commands/check.js'), options, pipeline));

  program
    .command('push')
    .description('push one revision to the app’s store (ion-dev compatible output)')
    .option('--app <name>', 'the app (needed when deploy.yaml has several)')
    .option('--uname <name>', 'push the working tree as an unreproducible revision')
    .option('--rev <commit>', 'push this commit instead of HEAD')
    .option('--force', 'upload and register again even when up to date')
    .option('--json', JSON_HELP)
    .action((options, command) => start(command, () => import('./commands/push.js'), options));

  program
    .command('deploy')
    .description('deploy one revision to a group (ion-dev compatible output)')
    .requiredOption('--group <g>', 'the compute group')
    .option('--rev <sha>', 'the revision (a pushed commit)')
    .option('--uname <name>', 'the revision (an unreproducible push)')
    .option('--override-gate <reason>', 'deploy past the group’s promotion gate, recording why')
    .option('--json', JSON_HELP)
    .action((options, command) => start(command, () => import('./commands/deploy.js'), options));

  program
    .command('deploy-status')
    .description('status of one deploy (ion-dev compatible output)')
    .option('--execution-arn <arn>', 'the deploy’s execution ARN')
    .option('--deployment-id <id>', 'a CodeDeploy or local deployment id (with --group)')
    .option('--group <g>', 'the group of --deployment-id')
    .option('--wait', 'wait for a final status')
    .option('--json', JSON_HELP)
    .action((options, command) => start(command, () => import('./commands/deploy-status.js'), options));

  program
    .command('history')
    .description('recent deployments of a group, newest first')
    .argument('<group>', 'the compute group')
    .addOption(new Option('--limit <n>', 'how many').default(20).argParser(positiveInt))
    .option('--json', JSON_HELP)
    .action((group, options, command) => start(command, () => import('./commands/history.js'), options, group));

  program
    .command('rollback')
    .description('deploy again the newest successful revision that differs from the current one')
    .argument('<group>', 'the compute group')
    .option('--to <rev|uname>', 'roll back to this revision (it must have SUCCEEDED on the group before)')
    .option('--dry-run', 'say what would be deployed; change nothing')
    .option('--override-gate <reason>', 'deploy past the group’s promotion gate, recording why')
    .option('--json', JSON_HELP)
    .action((group, options, command) => start(command, () => import('./commands/rollback.js'), options, group));

  program
    .command('status')
    .description('every group: the revision it runs, its status, when, by whom, whether it is behind')
    .option('--json', JSON_HELP)
    .action((options, command) => start(command, () => import('./commands/status.js'), options));

  program
    .command('runs')
    .description('recent pipeline runs, from their journals')
    .addOption(new Option('--limit <n>', 'how many').default(20).argParser(positiveInt))
    .option('--json', JSON_HELP)
    .action((options, command) => start(command, () => import('./commands/runs.js'), options));

  return program;
}
