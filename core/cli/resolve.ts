// `synclens conflicts | resolve <db>`: what the Conflicts panel does, from a terminal. Resolve by
// local, remote, merge or policy; the policy may be replaced, for all collections or per collection
// (`--policy remoteWins`, `--policy users=localWins`), and a merge may be read from a JSON file
// (`--merge-file`: {"choices": {field: "local"|"remote"}, "values": {field: tagged JSON value}}).
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { errorMessage, isCodedError } from '../errors';
import type { OpenedEngine } from '../engine/openEngine';
import { underPolicyStrategy } from '../engine/resolve';
import { fromJsonValue, toJsonValue } from '../engine/taggedValues';
import { conflictPolicyNames, type ConflictPolicyName, type ConflictView, type ResolutionStrategy } from '../engine/types';
import { plainValuesSdk } from '../firestore/mapping';
import { conflictTallyText, policyOutcomeWords, type ConflictTally } from '../protocol/planOutcome';
import { taggedValueText, type JsonValue } from '../protocol/taggedValues';
import { conflictsJson, resolveDryRunJson, resolveJson } from './jsonResults';
import { CliInputError, ExitCode, writeResult, writeText, type ExitCodeValue } from './output';
import { addCommonOptions, allowLiveOption, refuseLiveUpfront, runWithEngine, type CommonOptions } from './syncOptions';

interface ResolveOptions extends CommonOptions {
  strategy?: string;
  only?: string;
  field?: string[];
  policy?: string[];
  mergeFile?: string;
}

export function registerConflictCommands(program: Command): void {
  addCommonOptions(program.command('conflicts').description('list entities whose remote changed after their unsynced local change'))
    .action((file: string, options: CommonOptions) => runWithEngine(file, options, (engine) => conflictsCommand(engine, options)));

  addCommonOptions(program.command('resolve').description('settle conflicts on both sides: local, remote, merge or policy'))
    .requiredOption('--strategy <local|remote|merge|policy>', 'how to settle them')
    .option('--only <entityIds>', 'only these entity ids (comma-separated); all conflicts otherwise')
    .option('--field <name=local|remote...>', 'for --strategy merge: which side each field comes from (others: remote)')
    .option('--merge-file <path>', 'for --strategy merge: {"choices": {field: "local"|"remote"}, "values": {field: value}} (values as in --json: {"$timestamp": ...})')
    .option('--policy <policy|collection=policy...>', `for --strategy policy: use this policy (${conflictPolicyNames.join(', ')}) instead of synclens.json's, for every collection or the one named`)
    .option('--dry-run', 'show what would be resolved; write nothing')
    .option(...allowLiveOption)
    .action((file: string, options: ResolveOptions) => runWithEngine(file, options, (engine) => resolveCommand(engine, file, options)));
}

async function conflictsCommand(engine: OpenedEngine, options: CommonOptions): Promise<ExitCodeValue> {
  const conflicts = await engine.session.listConflicts();
  if (options.json) writeResult('conflicts', conflictsJson(engine.target, conflicts));
  else writeText(`${conflicts.map(formatConflict).join('')}conflicts: ${conflictTallyText(tallyOf(conflicts))}\n`);
  return ExitCode.ok;
}

function tallyOf(conflicts: readonly ConflictView[]): ConflictTally {
  return { ops: conflicts.reduce((sum, conflict) => sum + conflict.pendingOpIds.length, 0), entities: conflicts.length };
}

function formatConflict(conflict: ConflictView): string {
  const show = (value: unknown): string => taggedValueText(toJsonValue(value));
  const diff = conflict.differences.map((d) => `    ${d.field}: local ${show(d.local)} | remote ${show(d.remote)}`).join('\n');
  return `${conflict.collection}/${conflict.entityId} (ops ${conflict.pendingOpIds.map((id) => `#${id}`).join(', ') || 'none, row unsynced'})\n${diff}\n    verdict: ${conflict.verdict.winner} (${conflict.verdict.reason}); policy ${conflict.policy}: ${policyOutcomeWords[conflict.policyOutcome]}\n`;
}

async function resolveCommand(engine: OpenedEngine, file: string, options: ResolveOptions): Promise<ExitCodeValue> {
  const strategy = parseStrategy(options, engine.session.roles.entities.map((role) => role.collection));
  const only = options.only?.split(',').map((id) => id.trim()).filter(Boolean);
  let conflicts = (await engine.session.listConflicts()).filter((conflict) => !only || only.includes(conflict.entityId));
  if (strategy.kind === 'policy') conflicts = conflicts.map((conflict) => underPolicyStrategy(conflict, strategy));
  if (options.dryRun) {
    if (options.json) writeResult('resolveDryRun', resolveDryRunJson(engine.target, strategy.kind, conflicts));
    else writeText(`dry run: would resolve ${conflictTallyText(tallyOf(conflicts))} by ${strategy.kind}\n${conflicts.map(formatConflict).join('')}`);
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

function parseStrategy(options: ResolveOptions, collections: readonly string[]): ResolutionStrategy {
  const { strategy } = options;
  if (options.policy !== undefined && strategy !== 'policy') throw new CliInputError('bad-option', `--policy goes with --strategy policy, not ${strategy}`);
  if (options.mergeFile !== undefined && strategy !== 'merge') throw new CliInputError('bad-option', `--merge-file goes with --strategy merge, not ${strategy}`);
  switch (strategy) {
    case 'local':
    case 'remote':
      return { kind: strategy };
    case 'policy':
      return { kind: 'policy', ...parsePolicies(options.policy ?? [], collections) };
    case 'merge':
      if (options.mergeFile !== undefined && options.field !== undefined) throw new CliInputError('bad-option', 'give --field or --merge-file, not both');
      return options.mergeFile !== undefined ? readMergeFile(options.mergeFile) : { kind: 'merge', choices: parseFields(options.field ?? []) };
    default:
      throw new CliInputError('bad-option', `--strategy must be local, remote, merge or policy, got "${strategy}"`);
  }
}

function parseFields(specs: readonly string[]): Record<string, 'local' | 'remote'> {
  const choices: Record<string, 'local' | 'remote'> = {};
  for (const spec of specs) {
    const match = /^([^=]+)=(local|remote)$/.exec(spec);
    if (!match) throw new CliInputError('bad-option', `--field expects name=local or name=remote, got "${spec}"`);
    choices[match[1] as string] = match[2] as 'local' | 'remote';
  }
  return choices;
}

function isPolicyName(name: string): name is ConflictPolicyName {
  return (conflictPolicyNames as readonly string[]).includes(name);
}

/** `--policy remoteWins` (every collection) and `--policy users=localWins` (one), repeatable. */
function parsePolicies(specs: readonly string[], collections: readonly string[]): { policy?: ConflictPolicyName; perCollection?: Record<string, ConflictPolicyName> } {
  let policy: ConflictPolicyName | undefined;
  const perCollection: Record<string, ConflictPolicyName> = {};
  for (const spec of specs) {
    const [collection, name] = spec.includes('=') ? [spec.slice(0, spec.indexOf('=')), spec.slice(spec.indexOf('=') + 1)] : [null, spec];
    if (!isPolicyName(name)) throw new CliInputError('bad-option', `--policy expects one of ${conflictPolicyNames.join(', ')} (or collection=policy), got "${spec}"`);
    if (collection === null) {
      if (policy !== undefined) throw new CliInputError('bad-option', `--policy for every collection is given twice (${policy}, ${name})`);
      policy = name;
    } else if (!collections.includes(collection)) {
      throw new CliInputError('bad-option', `--policy names collection "${collection}", which the database does not sync (it has ${collections.join(', ') || 'none'})`);
    } else {
      perCollection[collection] = name;
    }
  }
  return { ...(policy ? { policy } : {}), ...(Object.keys(perCollection).length > 0 ? { perCollection } : {}) };
}

const jsonValue: z.ZodType<JsonValue> = z.json();
const mergeFileSchema = z.strictObject({
  choices: z.record(z.string(), z.enum(['local', 'remote'])).optional(),
  values: z.record(z.string(), jsonValue).optional(),
});

/** A merge from a JSON file: every problem is one message naming the file and the field. */
function readMergeFile(path: string): ResolutionStrategy {
  const fail = (message: string): never => {
    throw new CliInputError('bad-option', `--merge-file ${path}: ${message}`);
  };
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    fail(`cannot be read (${errorMessage(error)})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    fail(`is not JSON (${errorMessage(error)})`);
  }
  const checked = mergeFileSchema.safeParse(parsed);
  if (!checked.success) {
    const [issue] = checked.error.issues;
    fail(`${issue?.path.length ? `${issue.path.join('.')}: ` : ''}${issue?.message ?? 'not a merge'}; expected {"choices": {field: "local"|"remote"}, "values": {field: value}}`);
  }
  const { choices = {}, values = {} } = checked.data!;
  for (const [field, value] of Object.entries(values)) {
    try {
      fromJsonValue(value, plainValuesSdk, `values.${field}`);
    } catch (error) {
      if (isCodedError(error, 'invalid-value')) fail(error.message);
      throw error;
    }
  }
  return { kind: 'merge', choices, values };
}
