// What the sync commands share: the engine opened for the target the options name, their option
// parsing, the refusal to write a database the app may have open, and how a failure is reported.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { journalPathOf, walPathOf } from '../db/stamp';
import { errorMessage } from '../errors';
import { openEngine, type OpenedEngine } from '../engine/openEngine';
import { RemoteUnavailableError } from '../engine/remoteStore';
import type { FirestoreTarget } from '../firestore/client';
import { CliInputError, describeFailure, ExitCode, writeFailure, type ExitCodeValue, type FailureReport } from './output';

export interface CommonOptions {
  emulator?: string;
  project?: string;
  json?: boolean;
  allowLive?: boolean;
  dryRun?: boolean;
}

export function addCommonOptions(command: Command): Command {
  return command
    .argument('<db>', 'the app database file')
    .option('--emulator <host:port>', 'the Firestore emulator to use (default: synclens.json beside or above the database)')
    .option('--project <id>', 'the Firestore project id (demo-* for the emulator)')
    .option('--json', 'print the result as JSON on stdout');
}

/** Every command that writes the database takes it. */
export const allowLiveOption = ['--allow-live', 'write the database although a -wal/-journal shows the app may have it open'] as const;

/** Opens the engine, runs the command, sets the exit code; anything thrown is reported the standard way. */
export async function runWithEngine(file: string, options: CommonOptions, work: (engine: OpenedEngine) => Promise<ExitCodeValue>): Promise<void> {
  let engine: OpenedEngine | null = null;
  try {
    engine = await openEngine(file, { target: targetFromOptions(options), projectId: options.project });
    process.exitCode = await work(engine);
  } catch (error) {
    process.exitCode = writeFailure(syncFailure(error, file), options.json === true);
  } finally {
    await engine?.close().catch(() => undefined);
  }
}

/** The target the flags name (--emulator, or --project with FIRESTORE_EMULATOR_HOST); null: the config's. */
export function targetFromOptions(options: CommonOptions): FirestoreTarget | null {
  const fromEnv = process.env.FIRESTORE_EMULATOR_HOST;
  const hostPort = options.emulator ?? null;
  if (!hostPort) {
    if (options.project && fromEnv) return emulatorTarget(fromEnv, options.project, 'FIRESTORE_EMULATOR_HOST');
    return null;
  }
  return emulatorTarget(hostPort, options.project ?? 'demo-synclens', '--emulator');
}

function emulatorTarget(hostPort: string, projectId: string, source: string): FirestoreTarget {
  const match = /^([^:]+):(\d{1,5})$/.exec(hostPort.trim());
  if (!match) throw new CliInputError('bad-option', `${source} expects host:port such as 127.0.0.1:8080, got "${hostPort}"`);
  return { kind: 'emulator', host: match[1] as string, port: Number(match[2]), projectId };
}

/**
 * A sync command's failure: bad input exits 2; a target that stopped answering exits 1 ('unreachable'),
 * since the command may have done part of its work. Write-back refusals are `write-<code>`.
 */
function syncFailure(error: unknown, file: string): FailureReport {
  if (error instanceof RemoteUnavailableError) return { code: error.code, message: errorMessage(error), file, exitCode: ExitCode.partial };
  return describeFailure(error, file);
}

export function parseIds(text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  const ids = text.split(',').map((part) => part.trim()).filter(Boolean);
  const parsed = ids.map(Number);
  if (ids.length === 0 || parsed.some((id) => !Number.isInteger(id))) {
    throw new CliInputError('bad-option', `--only expects comma-separated queue ids, got "${text}"`);
  }
  return parsed;
}

export function parseBatchSize(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const size = Number(text);
  if (!Number.isInteger(size) || size < 1 || size > 500) throw new CliInputError('bad-option', `--batch-size must be 1-500, got "${text}"`);
  return size;
}

export function refuseLiveUpfront(file: string, options: CommonOptions): void {
  if (options.allowLive || options.dryRun) return;
  const present = [walPathOf(file), journalPathOf(file)].filter((path) => existsSync(path));
  if (present.length > 0) {
    // Checked before anything is sent, so the remote is never ahead of a file we may not write.
    throw new CliInputError('live', `${present.map((path) => path.split(/[\\/]/).pop()).join(' and ')} beside it show the app may have the database open; close the app or pass --allow-live`);
  }
}
