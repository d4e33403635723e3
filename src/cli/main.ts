// main(argv) returns the exit code; bin/ionflow.js is the only caller that exits.
// Errors of every kind are mapped to exit codes here, in one place (SPEC §9).

import { Command, CommanderError } from '../lazy/commander.js';
import { ExitCode, exitCodeOf, formatError } from '../model/errors.js';
import { type CliContext, type GlobalOptions, makeContext } from './context.js';
import { ednWorded, parseOpMap } from './edn-op.js';
import { buildProgram, withGlobalOptions } from './program.js';

export interface MainIO {
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Tests pass their own signal instead of process signal handlers. */
  signal?: AbortSignal;
}

const loaders = {
  // lazy: an op map runs one of these: push costs 81 ms, deploy 52 ms, deploy-status 45 ms (npm run bench -- imports; node -e 0: 85 ms)
  push: () => import('./commands/push.js'),
  deploy: () => import('./commands/deploy.js'),
  'deploy-status': () => import('./commands/deploy-status.js'),
} as const;

export async function main(argv: string[], io: MainIO = {}): Promise<number> {
  const stdout = (io.stdout ?? process.stdout) as CliContext['stdout'];
  const stderr = (io.stderr ?? process.stderr) as CliContext['stderr'];
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  if (!io.signal) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  } else if (io.signal.aborted) controller.abort();
  else io.signal.addEventListener('abort', onSignal, { once: true });

  let exitCode: number = ExitCode.ok;
  let debug = argv.includes('--debug');
  const ctxFor = (global: GlobalOptions): CliContext =>
    makeContext({
      global,
      stdout,
      stderr,
      stdin: () => io.stdin ?? process.stdin,
      cwd: io.cwd ?? process.cwd(),
      env: io.env ?? process.env,
      signal: controller.signal,
    });

  try {
    const first = argv[0]?.trimStart();
    if (first?.startsWith('{')) {
      // ion-dev style: ionflow '{:op :push}' [global flags]
      const op = parseOpMap(argv[0]!);
      // The global flags may follow the map: parse them with the same declarations.
      const flags = withGlobalOptions(new Command('ionflow'))
        .exitOverride()
        .configureOutput({ writeErr: (s) => stderr.write(s.startsWith('error:') ? s : `error: ${s}`) })
        .parse(argv.slice(1), { from: 'user' })
        .opts();
      const global: GlobalOptions = { ...flags, ...op.global };
      const mod = await loaders[op.command]();
      exitCode = await mod.default(ctxFor(global), op.options as never).catch((err: unknown) => {
        throw ednWorded(err);
      });
    } else {
      const program = buildProgram({
        async invoke(global, run) {
          debug = Boolean(global.debug);
          exitCode = await run(ctxFor(global));
        },
      });
      // Subcommands copy these settings only when created, so set them on each.
      for (const command of [program, ...program.commands]) {
        command.exitOverride();
        command.configureOutput({
          writeOut: (s) => stdout.write(s),
          writeErr: (s) => stderr.write(s),
          outputError: (s, write) => write(s.startsWith('error:') ? s : `error: ${s}`),
        });
      }
      if (argv.length === 0) {
        program.outputHelp();
        return ExitCode.usage;
      }
      await program.parseAsync(argv, { from: 'user' });
    }
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end in a CommanderError with exit code 0.
      return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    exitCode = controller.signal.aborted ? ExitCode.interrupted : exitCodeOf(err);
    stderr.write(`${formatError(err, debug)}\n`);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return exitCode;
}
