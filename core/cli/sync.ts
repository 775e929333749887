// `synclens plan | replay | pull | conflicts | resolve <db>`: the sync engine from a terminal.
// Results on stdout (or --json), one error line on stderr, exit 0 done / 1 failed or held / 2 bad input.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { isConfigError } from '../config/config';
import { journalPathOf, walPathOf } from '../db/stamp';
import { isDatabaseWriteError } from '../db/writeBack';
import { openEngine, NoTargetError, type OpenedEngine } from '../engine/openEngine';
import { RemoteUnavailableError } from '../engine/remoteStore';
import type { ConflictView, OperationResult, Plan, ResolutionStrategy } from '../engine/types';
import { isFirestoreConnectionError, type FirestoreTarget } from '../firestore/client';
import { conflictsJson, planJson, pullJson, replayJson, resolveDryRunJson, resolveJson } from './jsonResults';
import { CliInputError, ExitCode, formatErrorLine, oneLine, processStreams, writeJson, writeResult, writeText, type ExitCodeValue } from './output';

interface CommonOptions {
  emulator?: string;
  project?: string;
  json?: boolean;
  allowLive?: boolean;
  dryRun?: boolean;
}

interface SelectOptions extends CommonOptions {
  only?: string;
  force?: boolean;
  step?: boolean;
  batchSize?: string;
}

interface ResolveOptions extends CommonOptions {
  strategy?: string;
  only?: string;
  field?: string[];
}

function addCommon(command: Command): Command {
  return command
    .argument('<db>', 'the app database file')
    .option('--emulator <host:port>', 'the Firestore emulator to use (default: synclens.json beside or above the database)')
    .option('--project <id>', 'the Firestore project id (demo-* for the emulator)')
    .option('--json', 'print the result as JSON on stdout');
}

// Every command that writes the database takes it.
const allowLiveOption = ['--allow-live', 'write the database although a -wal/-journal shows the app may have it open'] as const;

export function registerSyncCommands(program: Command): void {
  addCommon(program.command('plan').description('classify every queued op against the remote (writes nothing)'))
    .option('--only <ids>', 'only these queue ids (comma-separated)')
    .option('--force', 'treat backing-off ops as ready')
    .action((file: string, options: SelectOptions) => run(file, options, (engine) => planCommand(engine, options)));

  addCommon(program.command('replay').description('send queued ops to Firestore in order, batched; update the queue and rows'))
    .option('--only <ids>', 'only these queue ids (comma-separated)')
    .option('--step', 'send only the next op')
    .option('--force', 'ignore backoff')
    .option('--batch-size <n>', 'writes per Firestore batch, 1-500 (default 500)')
    .option('--dry-run', 'show what would happen; write nothing anywhere')
    .option(...allowLiveOption)
    .action((file: string, options: SelectOptions) => run(file, options, (engine) => replayCommand(engine, file, options)));

  addCommon(program.command('pull').description('apply remote changes since the last sync to the database'))
    .option('--dry-run', 'read and report; write nothing')
    .option(...allowLiveOption)
    .action((file: string, options: CommonOptions) => run(file, options, (engine) => pullCommand(engine, file, options)));

  addCommon(program.command('conflicts').description('list entities whose remote changed after their unsynced local change'))
    .action((file: string, options: CommonOptions) => run(file, options, (engine) => conflictsCommand(engine, options)));

  addCommon(program.command('resolve').description('settle conflicts on both sides: local, remote, merge or policy'))
    .requiredOption('--strategy <local|remote|merge|policy>', 'how to settle them')
    .option('--only <entityIds>', 'only these entity ids (comma-separated); all conflicts otherwise')
    .option('--field <name=local|remote...>', 'for --strategy merge: which side each field comes from (others: remote)')
    .option('--dry-run', 'show what would be resolved; write nothing')
    .option(...allowLiveOption)
    .action((file: string, options: ResolveOptions) => run(file, options, (engine) => resolveCommand(engine, file, options)));
}

async function run(file: string, options: CommonOptions, work: (engine: OpenedEngine) => Promise<ExitCodeValue>): Promise<void> {
  let engine: OpenedEngine | null = null;
  try {
    engine = await openEngine(file, { target: targetFromOptions(options), projectId: options.project });
    process.exitCode = await work(engine);
  } catch (error) {
    process.exitCode = report(error, file, options.json === true);
  } finally {
    await engine?.close().catch(() => undefined);
  }
}

function targetFromOptions(options: CommonOptions): FirestoreTarget | null {
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

function report(error: unknown, file: string, json: boolean): ExitCodeValue {
  let code = 'internal';
  let exit: ExitCodeValue = ExitCode.badInput;
  let message = error instanceof Error ? error.message : String(error);
  if (error instanceof CliInputError) code = error.code;
  else if (isConfigError(error)) code = 'config';
  else if (error instanceof NoTargetError) code = 'no-target';
  else if (isDatabaseWriteError(error)) code = `write-${error.code}`;
  else if (isFirestoreConnectionError(error)) code = error.code;
  else if (error instanceof RemoteUnavailableError) {
    code = 'unreachable';
    exit = ExitCode.partial;
  } else if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') code = error.code;
  else message = `internal error: ${message}`;
  processStreams.stderr(`${formatErrorLine({ file, message })}\n`);
  if (json) writeJson({ error: { code, message: oneLine(message) } });
  return exit;
}

function parseIds(text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  const ids = text.split(',').map((part) => part.trim()).filter(Boolean);
  const parsed = ids.map(Number);
  if (ids.length === 0 || parsed.some((id) => !Number.isInteger(id))) {
    throw new CliInputError('bad-option', `--only expects comma-separated queue ids, got "${text}"`);
  }
  return parsed;
}

function parseBatchSize(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const size = Number(text);
  if (!Number.isInteger(size) || size < 1 || size > 500) throw new CliInputError('bad-option', `--batch-size must be 1-500, got "${text}"`);
  return size;
}

function refuseLiveUpfront(file: string, options: CommonOptions): void {
  if (options.allowLive || options.dryRun) return;
  const present = [walPathOf(file), journalPathOf(file)].filter((path) => existsSync(path));
  if (present.length > 0) {
    // Checked before anything is sent, so the remote is never ahead of a file we may not write.
    throw new CliInputError('live', `${present.map((path) => path.split(/[\\/]/).pop()).join(' and ')} beside it show the app may have the database open; close the app or pass --allow-live`);
  }
}

function formatPlan(plan: Plan): string {
  const lines = plan.operations.map((entry) => {
    const { op } = entry;
    return `#${op.id}  ${op.operation.padEnd(6)}  ${`${entry.collection ?? op.entityType}/${op.entityId}`.padEnd(28)}  ${entry.classification.padEnd(15)}  ${entry.reason}`;
  });
  const totals = Object.entries(plan.totals).map(([name, count]) => `${count} ${name}`).join(', ');
  return `${lines.join('\n')}${lines.length ? '\n' : ''}plan: ${plan.operations.length} ops: ${totals} (${plan.remoteReads} remote reads)\n`;
}

async function planCommand(engine: OpenedEngine, options: SelectOptions): Promise<ExitCodeValue> {
  const plan = await engine.session.plan({ only: parseIds(options.only), force: options.force });
  if (options.json) writeResult('plan', planJson(engine.target, plan));
  else writeText(formatPlan(plan));
  return ExitCode.ok;
}

function progress(enabled: boolean): { update(text: string): void; done(): void } {
  const tty = enabled && process.stderr.isTTY === true;
  return {
    update(text) {
      if (tty) process.stderr.write(`\r\x1b[K${text}`);
    },
    done() {
      if (tty) process.stderr.write('\r\x1b[K');
    },
  };
}

async function replayCommand(engine: OpenedEngine, file: string, options: SelectOptions): Promise<ExitCodeValue> {
  const only = parseIds(options.only);
  if (options.dryRun) {
    const plan = await engine.session.plan({ only, force: options.force });
    if (options.json) writeResult('replayDryRun', planJson(engine.target, plan));
    else writeText(`dry run: nothing is written\n${formatPlan(plan)}`);
    return ExitCode.ok;
  }
  refuseLiveUpfront(file, options);
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  const line = progress(!options.json);
  let seen = 0;
  try {
    const summary = await engine.session.replay({
      only,
      step: options.step,
      force: options.force,
      batchSize: parseBatchSize(options.batchSize),
      signal: controller.signal,
      onResult: (result: OperationResult) => {
        seen++;
        line.update(`replay: ${seen} ops settled (last #${result.opId} ${result.outcome})`);
      },
    });
    line.done();
    summary.backupPath = await engine.writeBack({ allowLive: options.allowLive });
    if (options.json) writeResult('replay', replayJson(engine.target, summary));
    else {
      for (const result of summary.results) writeText(`#${result.opId}  ${result.operation.padEnd(6)}  ${result.entityType}/${result.entityId}  ${result.outcome}: ${result.message}\n`);
      const counts = Object.entries(summary.counts).filter(([, count]) => count > 0).map(([name, count]) => `${count} ${name}`).join(', ');
      writeText(`replay: ${counts || 'nothing to send'}; ${summary.batchesCommitted} batch(es)${summary.cancelled ? '; cancelled' : ''}${summary.backupPath ? `; backup ${summary.backupPath}` : ''}\n`);
    }
    return summary.counts.failed + summary.counts.held > 0 || summary.cancelled ? ExitCode.partial : ExitCode.ok;
  } finally {
    process.off('SIGINT', onSignal);
  }
}

async function pullCommand(engine: OpenedEngine, file: string, options: CommonOptions): Promise<ExitCodeValue> {
  refuseLiveUpfront(file, options);
  const summary = await engine.session.pull();
  if (!options.dryRun) summary.backupPath = await engine.writeBack({ allowLive: options.allowLive });
  if (options.json) writeResult('pull', pullJson(engine.target, summary, options.dryRun === true));
  else {
    for (const entry of summary.collections) {
      const since = entry.previousSyncAt === null ? 'the beginning' : new Date(entry.previousSyncAt).toISOString();
      writeText(`${entry.collection}: ${entry.applied} applied since ${since}${entry.conflicts.length ? `, ${entry.conflicts.length} conflict(s): ${entry.conflicts.join(', ')}` : ''}; last sync ${entry.lastSyncAt === null ? 'unchanged' : new Date(entry.lastSyncAt).toISOString()}\n`);
    }
    writeText(`pull: ${summary.applied} applied, ${summary.conflicts} conflict(s)${options.dryRun ? ' (dry run: nothing written)' : summary.backupPath ? `; backup ${summary.backupPath}` : ''}\n`);
  }
  return summary.conflicts > 0 ? ExitCode.partial : ExitCode.ok;
}

function formatConflict(conflict: ConflictView): string {
  const diff = conflict.differences.map((d) => `    ${d.field}: local ${show(d.local)} | remote ${show(d.remote)}`).join('\n');
  return `${conflict.collection}/${conflict.entityId} (ops ${conflict.pendingOpIds.map((id) => `#${id}`).join(', ') || 'none, row unsynced'})\n${diff}\n    verdict: ${conflict.verdict.winner} (${conflict.verdict.reason}); policy ${conflict.policy} -> ${conflict.policyOutcome}\n`;
}

function show(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object' && typeof (value as { toDate?: unknown }).toDate === 'function') return (value as { toDate: () => Date }).toDate().toISOString();
  return JSON.stringify(value) ?? 'undefined';
}

async function conflictsCommand(engine: OpenedEngine, options: CommonOptions): Promise<ExitCodeValue> {
  const conflicts = await engine.session.listConflicts();
  if (options.json) writeResult('conflicts', conflictsJson(engine.target, conflicts));
  else writeText(`${conflicts.map(formatConflict).join('')}conflicts: ${conflicts.length}\n`);
  return ExitCode.ok;
}

function parseStrategy(options: ResolveOptions): ResolutionStrategy {
  switch (options.strategy) {
    case 'local':
    case 'remote':
    case 'policy':
      return { kind: options.strategy };
    case 'merge': {
      const choices: Record<string, 'local' | 'remote'> = {};
      for (const spec of options.field ?? []) {
        const match = /^([^=]+)=(local|remote)$/.exec(spec);
        if (!match) throw new CliInputError('bad-option', `--field expects name=local or name=remote, got "${spec}"`);
        choices[match[1] as string] = match[2] as 'local' | 'remote';
      }
      return { kind: 'merge', choices };
    }
    default:
      throw new CliInputError('bad-option', `--strategy must be local, remote, merge or policy, got "${options.strategy}"`);
  }
}

async function resolveCommand(engine: OpenedEngine, file: string, options: ResolveOptions): Promise<ExitCodeValue> {
  const strategy = parseStrategy(options);
  const only = options.only?.split(',').map((id) => id.trim()).filter(Boolean);
  const conflicts = (await engine.session.listConflicts()).filter((conflict) => !only || only.includes(conflict.entityId));
  if (options.dryRun) {
    if (options.json) writeResult('resolveDryRun', resolveDryRunJson(engine.target, strategy.kind, conflicts));
    else writeText(`dry run: would resolve ${conflicts.length} conflict(s) by ${strategy.kind}\n${conflicts.map(formatConflict).join('')}`);
    return ExitCode.ok;
  }
  refuseLiveUpfront(file, options);
  const results = await engine.session.resolve(conflicts, strategy);
  const backupPath = await engine.writeBack({ allowLive: options.allowLive });
  if (options.json) writeResult('resolve', resolveJson(engine.target, strategy.kind, results, backupPath));
  else {
    for (const result of results) writeText(`${result.ok ? 'resolved' : 'not resolved'}: ${result.message}\n`);
    writeText(`resolve: ${results.filter((r) => r.ok).length} of ${results.length} resolved${backupPath ? `; backup ${backupPath}` : ''}\n`);
  }
  return results.every((result) => result.ok) ? ExitCode.ok : ExitCode.partial;
}
