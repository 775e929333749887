// Validates `--json` output against schemas/cli-output.schema.json with ajv in strict mode, so a
// field the CLI adds or renames without the schema following fails the test that printed it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';

export const cliSchemaPath = join(__dirname, '..', '..', '..', 'schemas', 'cli-output.schema.json');

export interface JsonSchemaNode {
  [key: string]: unknown;
}

export function loadCliSchema(): JsonSchemaNode & { $id: string; definitions: Record<string, JsonSchemaNode> } {
  return JSON.parse(readFileSync(cliSchemaPath, 'utf8')) as JsonSchemaNode & { $id: string; definitions: Record<string, JsonSchemaNode> };
}

let compiled: { ajv: Ajv; id: string; whole: ValidateFunction } | undefined;

function schemaValidators(): { ajv: Ajv; id: string; whole: ValidateFunction } {
  if (compiled) return compiled;
  const schema = loadCliSchema();
  // allowUnionTypes: nullable fields are written `"type": ["string", "null"]` on purpose.
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  const whole = ajv.compile(schema);
  compiled = { ajv, id: schema.$id, whole };
  return compiled;
}

/** The validator of one definition (`plan`, `error`, `documentValue`, ...). */
export function validatorFor(definition: string): ValidateFunction {
  const { ajv, id } = schemaValidators();
  const validate = ajv.getSchema(`${id}#/definitions/${definition}`);
  assert.ok(validate, `schemas/cli-output.schema.json defines ${definition}`);
  return validate;
}

/** Ajv's errors, one per line, for an assertion message. */
export function schemaErrors(validate: ValidateFunction): string {
  return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`).join('\n');
}

/**
 * Asserts that stdout is one JSON document valid against `definition` and against the whole
 * schema (whose oneOf must pick exactly that definition), and returns it parsed.
 */
export function assertCliJson(stdout: string, definition: string, format: string | null): Record<string, unknown> {
  const parsed = JSON.parse(stdout) as Record<string, unknown>;
  const validate = validatorFor(definition);
  assert.ok(validate(parsed), `stdout is a valid ${definition}:\n${schemaErrors(validate)}\n${stdout.slice(0, 2000)}`);
  const { whole } = schemaValidators();
  assert.ok(whole(parsed), `stdout matches exactly one result of the schema:\n${schemaErrors(whole)}`);
  assert.equal(parsed.format, format ?? undefined);
  return parsed;
}

/** Whether `value` is valid against `definition` (for the must-fail checks). */
export function isValid(definition: string, value: unknown): boolean {
  return validatorFor(definition)(value) === true;
}
