// Shared output conventions of every `synclens` command, so scripts and CI can rely on them:
// results on stdout, exactly one error line on stderr, and a small set of exit codes.
// Imports no command module: each command imports this file, never the reverse.
import { isConfigError } from '../config/config';
import { isDatabaseFileError } from '../db/errors';
import { SyncRolesConfigError } from '../db/roles';
import { isDatabaseWriteError } from '../db/writeBack';
import { CodedError, errorCode, errorMessage } from '../errors';

/** Exit codes of every command. */
export const ExitCode = {
  /** Everything asked for was done. */
  ok: 0,
  /** The command ran but some of its work did not succeed (failed or held operations). */
  partial: 1,
  /** Bad input: unusable file, bad option, bad config. Nothing was done. */
  badInput: 2,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** A bad-input failure a command reports in the standard way (one stderr line, exit 2). */
export class CliInputError extends CodedError<'bad-option' | 'live'> {
  override readonly name = 'CliInputError';
  constructor(
    code: 'bad-option' | 'live',
    message: string,
    /** The file the message is about, when there is one. */
    readonly file?: string,
  ) {
    super(code, message);
  }
}

export interface FailureReport {
  code: string;
  message: string;
  file: string | undefined;
  exitCode: ExitCodeValue;
}

/**
 * Maps anything a command threw to what the user is told. Never throws. The file is named as the
 * user typed it (`fileAsTyped`) rather than as core resolved it.
 */
export function describeFailure(error: unknown, fileAsTyped?: string): FailureReport {
  if (isDatabaseFileError(error)) {
    const file = fileAsTyped ?? error.file;
    const message = stripFilePrefix(stripFilePrefix(error.message, error.file), file);
    return { code: error.code, message, file, exitCode: ExitCode.badInput };
  }
  if (isConfigError(error) || error instanceof SyncRolesConfigError) {
    // A config message already names the synclens.json and the line: `synclens.json:3:17: ...`.
    return { code: 'config', message: error.message, file: fileAsTyped, exitCode: ExitCode.badInput };
  }
  if (error instanceof CliInputError) {
    return { code: error.code, message: error.message, file: error.file ?? fileAsTyped, exitCode: ExitCode.badInput };
  }
  if (isDatabaseWriteError(error)) {
    // `write-` tells a refused write-back (the file left as it was) from a file that cannot be read.
    return { code: `write-${error.code}`, message: error.message, file: fileAsTyped ?? error.file, exitCode: ExitCode.badInput };
  }
  // Any other coded error (invalid-value, restricted, wrong-key, emulator-*, ...) is what went wrong,
  // said by the code that found it: only an error without one of our codes is a bug.
  const code = errorCode(error);
  if (code !== undefined && code !== 'internal') return { code, message: errorMessage(error), file: fileAsTyped, exitCode: ExitCode.badInput };
  return { code: 'internal', message: `internal error: ${errorMessage(error)}`, file: fileAsTyped, exitCode: ExitCode.badInput };
}

function stripFilePrefix(message: string, file: string | undefined): string {
  return file && message.startsWith(`${file}: `) ? message.slice(file.length + 2) : message;
}

/** Collapses whitespace so a message can never spill onto a second line. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * What never reaches a terminal raw: control characters (C0, DEL, C1: newlines, ESC sequences that
 * drive the terminal), Unicode format characters (the bidi overrides, embeddings, isolates and marks
 * U+202A-U+202E, U+2066-U+2069, U+200E/U+200F, U+061C that make text read in another order than it
 * is stored; zero-width spaces, invisible operators, U+FEFF, tag characters), the line and paragraph
 * separators, and lone surrogates. ZWNJ and ZWJ (U+200C/U+200D) stay: scripts and emoji need them
 * and they move nothing.
 */
const terminalUnsafe = /(?![\u200c\u200d])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

function escapeCodePoint(character: string): string {
  const codePoint = character.codePointAt(0) ?? 0;
  return codePoint > 0xffff ? `\\u{${codePoint.toString(16)}}` : `\\u${codePoint.toString(16).padStart(4, '0')}`;
}

/**
 * Text from a database or a file name may be hostile: the characters above are shown escaped
 * (`\u202e`), never written raw. Text mode only: `--json` output carries the exact strings.
 */
export function printable(text: string): string {
  return text.replace(terminalUnsafe, escapeCodePoint);
}

/** A text-mode report of several lines: each line made printable, the report's own newlines kept. */
export function printableLines(text: string): string {
  return text.split('\n').map(printable).join('\n');
}

/** The one line a failure gets on stderr: `synclens: <file>: <message>`. */
export function formatErrorLine(report: Pick<FailureReport, 'file' | 'message'>): string {
  const message = printable(oneLine(report.message));
  return report.file ? `synclens: ${printable(oneLine(report.file))}: ${message}` : `synclens: ${message}`;
}

export interface OutputStreams {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export const processStreams: OutputStreams = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

/** Writes a text-mode result (never JSON) on stdout, every line made printable. */
export function writeText(text: string, streams: OutputStreams = processStreams): void {
  streams.stdout(printableLines(text));
}

/**
 * Plain JSON as indented text on stdout. Anything else (a Date, Map, Uint8Array, SDK value, NaN,
 * undefined) is a defect of the caller, which converts document values with core/engine/taggedValues.ts: it
 * throws rather than let JSON.stringify silently turn it into `{}`, null or nothing.
 */
export function writeJson(value: unknown, streams: OutputStreams = processStreams): void {
  assertPlainJson(value, '$');
  streams.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

function assertPlainJson(value: unknown, path: string): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number' && Number.isFinite(value)) return;
  if (Array.isArray(value)) {
    value.forEach((item, index) => assertPlainJson(item, `${path}[${index}]`));
    return;
  }
  if (typeof value === 'object') {
    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype === Object.prototype || prototype === null) {
      for (const [key, item] of Object.entries(value)) assertPlainJson(item, `${path}.${key}`);
      return;
    }
  }
  const kind = typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value === 'number' ? String(value) : typeof value;
  throw new TypeError(`--json output would hold a non-JSON value (${kind}) at ${path}`);
}

/**
 * The `format` of each command's `--json` result: `synclens.<result>/<version>`. The version goes up
 * when a field is removed, renamed or changes meaning; a field added keeps it (and updates the
 * schema). The contract is schemas/cli-output.schema.json: one definition per format, closed with
 * `additionalProperties: false`. Failures are `{"error":{code,message}}` without a format, the
 * shape issue 1 fixed.
 */
export const resultFormats = {
  inspect: 'synclens.inspect/1',
  plan: 'synclens.plan/1',
  sdkPlan: 'synclens.firestore-sdk-plan/1',
  replayDryRun: 'synclens.replay-dry-run/1',
  replay: 'synclens.replay/1',
  pull: 'synclens.pull/1',
  conflicts: 'synclens.conflicts/1',
  resolveDryRun: 'synclens.resolve-dry-run/1',
  resolve: 'synclens.resolve/1',
  scan: 'synclens.scan/1',
  diff: 'synclens.diff/1',
} as const;

export type ResultKind = keyof typeof resultFormats;

/**
 * A command's `--json` result: `format` first, then the result's own fields, which the command's
 * own builder types (core/cli/jsonResults.ts, InspectReport, ...) and the schema tests check.
 */
export function writeResult(kind: ResultKind, result: object, streams: OutputStreams = processStreams): void {
  writeJson({ format: resultFormats[kind], ...result }, streams);
}

/**
 * Reports a failure: one line on stderr and, for `--json`, `{"error":{code,message}}` on stdout.
 * Returns the exit code to use.
 */
export function reportFailure(
  error: unknown,
  options: { json: boolean; file?: string },
  streams: OutputStreams = processStreams,
): ExitCodeValue {
  return writeFailure(describeFailure(error, options.file), options.json, streams);
}

/** One line on stderr and, for `--json`, `{"error":{code,message}}` on stdout; returns the exit code. */
export function writeFailure(report: FailureReport, json: boolean, streams: OutputStreams = processStreams): ExitCodeValue {
  streams.stderr(`${formatErrorLine(report)}\n`);
  if (json) writeJson({ error: { code: report.code, message: oneLine(report.message) } }, streams);
  return report.exitCode;
}

/**
 * Wraps a command's action: its resolved value is the exit code; anything thrown is reported the
 * standard way. The exit code is set, not forced, so pending output is flushed before exit.
 */
export function runCommand(
  run: () => Promise<ExitCodeValue>,
  failureContext: () => { json: boolean; file?: string },
): Promise<void> {
  return run().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.exitCode = reportFailure(error, failureContext());
    },
  );
}
