// The command line of SPEC §2: every command and flag is declared here, and
// each action loads its implementation (src/cli/commands/<name>.ts) only when
// that command runs, so `validate` never pays for the AWS SDK or listr2.

import type { OptionValues, Command as TypedCommand } from '@commander-js/extra-typings';
import { Command, InvalidArgumentError, Option } from '../lazy/commander.js';
import type { CliContext, GlobalOptions } from './context.js';

export const VERSION = '0.1.0';

type Loader = () => Promise<{ default: (ctx: CliContext, options: never, ...args: string[]) => Promise<number> }>;

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
  /** Build the context once global options are known, then run the loaded action. */
  invoke(load: Loader, global: GlobalOptions, options: object, args: string[]): Promise<void>;
}

/**
 * The flags every command takes (SPEC §2), also after an op map:
 * `ionflow '{:op :push}' --json`. On the program they are parsed wherever they
 * appear, and each command's help lists them under "Global Options"; `--json`
 * is declared only by the commands that print a map or a table (JSON_COMMANDS).
 */
export function withGlobalOptions<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  command: TypedCommand<A, O, G>,
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

/** The commands with a --json form (some are declared by other modules, when they exist). */
const JSON_COMMANDS = new Set(['list', 'plan', 'push', 'deploy', 'deploy-status', 'history', 'rollback', 'status', 'runs', 'check']);

export function buildProgram(hooks: ProgramHooks): Command {
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

  const action =
    (load: Loader) =>
    async (...params: unknown[]): Promise<void> => {
      // commander passes positional args, then the options object, then the command.
      const command = params[params.length - 1] as Command;
      const options = params[params.length - 2] as object;
      const args = params.slice(0, -2).filter((a): a is string => typeof a === 'string');
      await hooks.invoke(load, command.optsWithGlobals() as GlobalOptions, options, args);
    };

  program
    .command('init')
    .description('write a starter deploy.yaml (refuses to overwrite)')
    .action(action(() => import('./commands/init.js')));

  program
    .command('validate')
    .description('check deploy.yaml and every referenced ion-config.edn')
    .action(action(() => import('./commands/validate.js')));

  program
    .command('list')
    .description('list pipelines with their descriptions and steps')
    .action(action(() => import('./commands/list.js')));

  program
    .command('plan')
    .description('show the resolved task graph of a pipeline; changes nothing')
    .argument('<pipeline>', 'pipeline name')
    .option('--rev <commit>', 'plan for this commit instead of HEAD')
    .option('--uname <name>', 'plan an unreproducible push named <name>')
    .option('--force', 'treat up-to-date steps as to be redone')
    .action(action(() => import('./commands/plan.js')));

  // run and watch print events, not a result map: --json would be ignored, so it is refused (openSession).
  const runFlags = (cmd: Command) =>
    cmd
      .argument('<pipeline>', 'pipeline name')
      .option('--yes', 'answer confirm steps with yes')
      .option('--force', 'redo up-to-date steps')
      .option('--no-preflight', 'skip the preflight checks before the first step')
      .addOption(new Option('--concurrency <n>', 'parallel steps').default(4).argParser(positiveInt))
      .addOption(
        new Option('--output <mode>', 'progress output').choices(['auto', 'tty', 'plain', 'jsonl']).default('auto'),
      )
      .addOption(new Option('--json').hideHelp());

  runFlags(program.command('run').description('run a pipeline'))
    .option('--rev <commit>', 'use this commit instead of HEAD')
    .option('--uname <name>', 'push the working tree as an unreproducible revision named <name>')
    .option('--resume [run-id]', 'resume a run that failed or was interrupted (default: the pipeline’s newest such run)')
    .option('--override-gate <reason>', 'deploy past promotion gates, recording why')
    .action(action(() => import('./commands/run.js')));

  // watch always follows HEAD: --rev/--uname are not listed, and refused with the reason (watch.ts).
  runFlags(program.command('watch').description('run a pipeline now, then again for each new commit'))
    .addOption(new Option('--rev <commit>').hideHelp())
    .addOption(new Option('--uname <name>').hideHelp())
    .addOption(new Option('--debounce <ms>', 'fold commits arriving within this window').default(200).argParser(nonNegativeInt))
    .addOption(
      new Option('--on-new-commit <mode>', 'what a new commit does to a run in flight')
        .choices(['queue', 'restart'])
        .default('queue'),
    )
    .action(action(() => import('./commands/watch.js')));

  program
    .command('check')
    .description('preflight: identities, buckets, applications, groups, state machines, hook scripts; changes nothing')
    .argument('[pipeline]', 'check what this pipeline needs (default: every app and group)')
    .action(action(() => import('./commands/check.js')));

  program
    .command('push')
    .description('push one revision to the app’s store (ion-dev compatible output)')
    .option('--app <name>', 'the app (needed when deploy.yaml has several)')
    .option('--uname <name>', 'push the working tree as an unreproducible revision')
    .option('--rev <commit>', 'push this commit instead of HEAD')
    .option('--force', 'upload and register again even when up to date')
    .action(action(() => import('./commands/push.js')));

  program
    .command('deploy')
    .description('deploy one revision to a group (ion-dev compatible output)')
    .requiredOption('--group <g>', 'the compute group')
    .option('--rev <sha>', 'the revision (a pushed commit)')
    .option('--uname <name>', 'the revision (an unreproducible push)')
    .option('--override-gate <reason>', 'deploy past the group’s promotion gate, recording why')
    .action(action(() => import('./commands/deploy.js')));

  program
    .command('deploy-status')
    .description('status of one deploy (ion-dev compatible output)')
    .option('--execution-arn <arn>', 'the deploy’s execution ARN')
    .option('--deployment-id <id>', 'a CodeDeploy or local deployment id (with --group)')
    .option('--group <g>', 'the group of --deployment-id')
    .option('--wait', 'wait for a final status')
    .action(action(() => import('./commands/deploy-status.js')));

  program
    .command('history')
    .description('recent deployments of a group, newest first')
    .argument('<group>', 'the compute group')
    .addOption(new Option('--limit <n>', 'how many').default(20).argParser(positiveInt))
    .action(action(() => import('./commands/history.js')));

  program
    .command('rollback')
    .description('deploy again the newest successful revision that differs from the current one')
    .argument('<group>', 'the compute group')
    .option('--to <rev|uname>', 'roll back to this revision (it must have SUCCEEDED on the group before)')
    .option('--dry-run', 'say what would be deployed; change nothing')
    .option('--override-gate <reason>', 'deploy past the group’s promotion gate, recording why')
    .action(action(() => import('./commands/rollback.js')));

  program
    .command('status')
    .description('every group: the revision it runs, its status, when, by whom, whether it is behind')
    .action(action(() => import('./commands/status.js')));

  program
    .command('runs')
    .description('recent pipeline runs, from their journals')
    .addOption(new Option('--limit <n>', 'how many').default(20).argParser(positiveInt))
    .action(action(() => import('./commands/runs.js')));

  for (const command of program.commands) {
    if (JSON_COMMANDS.has(command.name()) && !command.options.some((o) => o.long === '--json')) command.option('--json', JSON_HELP);
  }
  return program as unknown as Command;
}
