// Entry of the `synclens` CLI (bundled to dist/cli.js). Each command lives in its own file and
// registers itself on the program; adding a command is one import and one entry in `registrars`.
import { Command, CommanderError } from 'commander';
import { version } from '../../package.json';
import { registerInspectCommand } from './inspect';
import { registerScanCommand } from './scan';
import { registerDiffCommand } from './diff';
import { registerKeyOptions } from './keyOptions';
import { registerSyncCommands } from './sync';
import { ExitCode, formatErrorLine } from './output';

/** Adds one or more commands to the program. */
export type CommandRegistrar = (program: Command) => void;

const registrars: readonly CommandRegistrar[] = [registerInspectCommand, registerSyncCommands, registerScanCommand, registerDiffCommand];

export function createProgram(): Command {
  const program = new Command()
    .name('synclens')
    .description(
      'Inspect an offline-first app\'s SQLite database and its sync queue (the same core as the SyncLens VS Code extension).',
    )
    .version(version, '-V, --version', 'print the SyncLens version')
    .helpOption('-h, --help', 'show help for a command')
    .showSuggestionAfterError()
    .configureOutput({
      // Commander's own usage errors follow the same one-line `synclens: ...` convention.
      outputError: (text, write) => write(`${formatErrorLine({ file: undefined, message: text.replace(/^error:\s*/, '') })}\n`),
    })
    .exitOverride()
    .addHelpText(
      'after',
      [
        '',
        'Exit codes: 0 done, 1 some operations failed or are held, 2 bad input (nothing was done).',
        'Database files are only read: a -wal beside them is applied in memory, never checkpointed.',
        'Encrypted databases (SQLCipher 3/4, ChaCha20): the key comes from SYNCLENS_DB_KEY (or --key-env NAME), never the command line.',
        '',
        'Run `synclens help <command>` for the options of a command.',
        '',
      ].join('\n'),
    );
  // Registered after the settings above, so every subcommand inherits the same error handling.
  registerKeyOptions(program);
  for (const register of registrars) register(program);
  return program;
}

async function main(argv: string[]): Promise<void> {
  try {
    await createProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end with code 0; every usage error is bad input.
      process.exitCode = error.exitCode === 0 ? ExitCode.ok : ExitCode.badInput;
      return;
    }
    throw error;
  }
}

// A reader that stops early (`synclens inspect x --json | head`) is not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok);
});

void main(process.argv);
