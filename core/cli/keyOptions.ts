// Where the CLI gets an encrypted database's key: the environment only. SYNCLENS_DB_KEY (or the
// variable --key-env names) holds it; --cipher says which cipher. A key on the command line is
// refused: it would land in the shell's history and in every process listing.
import { Option, type Command } from 'commander';
import { cipherParameterHelp, isCipherChoice, parseCipherParameter, setDatabaseKeyLookup, type CipherChoice, type CipherParameters } from '../db/cipher';
import { CliInputError } from './output';

export const defaultKeyVariable = 'SYNCLENS_DB_KEY';

interface KeyOptions {
  keyEnv?: string;
  cipher?: string;
  cipherParam?: string[];
  key?: unknown;
}

/** Adds --key-env and --cipher to every command, and sets the process's key before a command runs. */
export function registerKeyOptions(program: Command): void {
  program
    .option('--key-env <name>', `read an encrypted database's key from this environment variable (default ${defaultKeyVariable})`)
    .addOption(new Option('--cipher <cipher>', 'the cipher of an encrypted database').choices(['auto', 'sqlcipher4', 'sqlcipher3', 'chacha20']).default('auto'))
    .option(
      '--cipher-param <name=value>',
      `a SQLCipher setting the app changed from its version's default, as its pragma names it; once per setting (${cipherParameterHelp})`,
      (value: string, previous: string[] = []) => [...previous, value],
    )
    // Declared so that it can be refused with a reason instead of "unknown option".
    .addOption(new Option('--key <key>').hideHelp())
    .hook('preAction', () => {
      try {
        applyKeyOptions(program.opts<KeyOptions>(), process.env);
      } catch (error) {
        // One `synclens: ...` line and exit 2, as for any other bad option.
        if (error instanceof CliInputError) program.error(error.message, { exitCode: 2, code: error.code });
        throw error;
      }
    });
}

/** Sets the key lookup from the options and `env`; throws a CliInputError for a key on the command line. */
export function applyKeyOptions(options: KeyOptions, env: NodeJS.ProcessEnv): void {
  if (options.key !== undefined) {
    throw new CliInputError(
      'bad-option',
      `a key on the command line is refused: it would be kept in the shell's history. Put it in the environment instead (${defaultKeyVariable}, or the variable --key-env names).`,
    );
  }
  const cipher = options.cipher ?? 'auto';
  if (!isCipherChoice(cipher)) throw new CliInputError('bad-option', `--cipher must be auto, sqlcipher4, sqlcipher3 or chacha20, got "${cipher}"`);
  const variable = options.keyEnv ?? defaultKeyVariable;
  const secret = env[variable];
  if (options.keyEnv !== undefined && !secret) {
    throw new CliInputError('bad-option', `--key-env names ${variable}, but that environment variable is not set (or is empty)`);
  }
  let parameters: CipherParameters = {};
  for (const text of options.cipherParam ?? []) {
    const parsed = parseCipherParameter(text, parameters);
    if (typeof parsed === 'string') throw new CliInputError('bad-option', `--cipher-param: ${parsed}`);
    parameters = parsed;
  }
  const choice: CipherChoice = cipher;
  setDatabaseKeyLookup(() => (secret ? { secret, cipher: choice, parameters } : undefined));
}
