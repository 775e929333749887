// `synclens plan | replay | pull | conflicts | resolve <db>`: the sync engine from a terminal.
// Results on stdout (or --json), one error line on stderr, exit 0 done / 1 failed or held / 2 bad input.
import type { Command } from 'commander';
import type { OpenedEngine } from '../engine/openEngine';
import { describeReplayProgress } from '../engine/replayProgress';
import type { OperationResult, Plan } from '../engine/types';
import { planTotalsLine, plural } from '../protocol/planOutcome';
import { planJson, pullJson, replayJson } from './jsonResults';
import { ExitCode, writeResult, writeText, type ExitCodeValue } from './output';
import { registerConflictCommands } from './resolve';
import { planIfFirestoreSdkCache } from './sdkPlan';
import { addCommonOptions, allowLiveOption, parseBatchSize, parseIds, refuseLiveUpfront, runWithEngine, type CommonOptions } from './syncOptions';

interface SelectOptions extends CommonOptions {
  only?: string;
  force?: boolean;
  step?: boolean;
  batchSize?: string;
  throttle?: boolean;
}

export function registerSyncCommands(program: Command): void {
  addCommonOptions(program.command('plan').description('classify every queued op against the remote (writes nothing)'))
    .option('--only <ids>', 'only these queue ids (comma-separated)')
    .option('--force', 'treat backing-off ops as ready')
    .action(async (file: string, options: SelectOptions) => {
      // The Firestore SDK's own cache has a plan of its own: the engine never sends those writes.
      if (await planIfFirestoreSdkCache(file, options)) return;
      await runWithEngine(file, options, (engine) => planCommand(engine, options));
    });

  addCommonOptions(program.command('replay').description('send queued ops to Firestore in order, batched; update the queue and rows'))
    .option('--only <ids>', 'only these queue ids (comma-separated)')
    .option('--step', 'send only the next op')
    .option('--force', 'ignore backoff')
    .option('--batch-size <n>', 'writes per Firestore batch, 1-500 (default 500)')
    .option('--throttle', "ramp up per collection as Firestore asks (500 writes/s, +50% every 5 min): the default for a real project, this forces it for the emulator")
    .option('--no-throttle', 'send as fast as the target answers, also to a real project')
    .option('--dry-run', 'show what would happen; write nothing anywhere')
    .option(...allowLiveOption)
    .action((file: string, options: SelectOptions) => runWithEngine(file, options, (engine) => replayCommand(engine, file, options)));

  addCommonOptions(program.command('pull').description('apply remote changes since the last sync to the database'))
    .option('--dry-run', 'read and report; write nothing')
    .option(...allowLiveOption)
    .action((file: string, options: CommonOptions) => runWithEngine(file, options, (engine) => pullCommand(engine, file, options)));

  registerConflictCommands(program);
}

function formatPlan(plan: Plan): string {
  const lines = plan.operations.map((entry) => {
    const { op } = entry;
    return `#${op.id}  ${op.operation.padEnd(6)}  ${`${entry.collection ?? op.entityType}/${op.entityId}`.padEnd(28)}  ${entry.classification.padEnd(15)}  ${entry.reason}`;
  });
  // The Plan tab's words: "5 apply · 4 conflicting ops on 3 entities · 1 already applied".
  const totals = planTotalsLine(plan.operations.map((entry) => ({ classification: entry.classification, collection: entry.collection, entityType: entry.op.entityType, entityId: entry.op.entityId })));
  return `${lines.join('\n')}${lines.length ? '\n' : ''}plan: ${plural(plan.operations.length, 'op')}: ${totals} (${plural(plan.remoteReads, 'remote read')})\n`;
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
  let status = '';
  try {
    const summary = await engine.session.replay({
      only,
      step: options.step,
      force: options.force,
      batchSize: parseBatchSize(options.batchSize),
      signal: controller.signal,
      throttle: options.throttle,
      onResult: (result: OperationResult) => {
        seen++;
        line.update(`replay: ${seen} ops settled (last #${result.opId} ${result.outcome})${status}`);
      },
      onProgress: (progress) => {
        status = `; ${describeReplayProgress(progress)}`;
        line.update(`replay: ${seen} ops settled${status}`);
      },
    });
    line.done();
    summary.backupPath = await engine.writeBack({ allowLive: options.allowLive });
    if (options.json) writeResult('replay', replayJson(engine.target, summary));
    else {
      for (const result of summary.results) writeText(`#${result.opId}  ${result.operation.padEnd(6)}  ${result.entityType}/${result.entityId}  ${result.outcome}: ${result.message}\n`);
      const counts = Object.entries(summary.counts).filter(([, count]) => count > 0).map(([name, count]) => `${count} ${name}`).join(', ');
      writeText(`replay: ${counts || 'nothing to send'}; ${plural(summary.batchesCommitted, 'batch', 'batches')}${summary.cancelled ? '; cancelled' : ''}${summary.backupPath ? `; backup ${summary.backupPath}` : ''}\n`);
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
      writeText(`${entry.collection}: ${entry.applied} applied since ${since}${entry.conflicts.length ? `, ${plural(entry.conflicts.length, 'entity', 'entities')} now in conflict: ${entry.conflicts.join(', ')}` : ''}; last sync ${entry.lastSyncAt === null ? 'unchanged' : new Date(entry.lastSyncAt).toISOString()}\n`);
    }
    writeText(`pull: ${summary.applied} applied, ${plural(summary.conflicts, 'entity', 'entities')} now in conflict${options.dryRun ? ' (dry run: nothing written)' : summary.backupPath ? `; backup ${summary.backupPath}` : ''}\n`);
  }
  return summary.conflicts > 0 ? ExitCode.partial : ExitCode.ok;
}
