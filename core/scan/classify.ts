// Everything the scan finds in one cell: the column's name and the value's shape for plain values,
// and, for text that is JSON (queue payloads, embedded objects), the same for every string and
// number inside it, each under its JSON path and its own key's name.
import { isCardName, isPinName, isSecretName, tokenNameOf } from './fields';
import { recogniseHash } from './hashes';
import { isSecretlintCandidate, lintForSecrets } from './secretlint';
import { findCardNumber, findEmail, findGoogleCredentials, findJwts } from './tokens';
import type { Detection } from './types';

export interface PlacedDetection extends Detection {
  /** JSON path inside the cell, or null for the cell itself. */
  readonly path: string | null;
}

/** JSON text longer than this is scanned as text, not walked. */
const maxWalkedJson = 4 * 1024 * 1024;
/** JSON strings inside JSON (a stringified payload) are walked this deep. */
const maxJsonNesting = 3;

const values = new Set(['', 'null', 'true', 'false', 'undefined', 'none', '0', '1']);

/** A value in a password, PIN or secret column: hashed (info) or in the clear (error). */
function secretFieldDetection(value: string, field: string): Detection | null {
  const trimmed = value.trim();
  if (values.has(trimmed.toLowerCase())) return null;
  const hash = recogniseHash(trimmed);
  if (hash?.slow) {
    return { kind: 'password-hash', severity: 'info', reason: `Hashed with ${hash.scheme}, a slow salted password hash: not a password in the clear.`, secret: trimmed };
  }
  if (hash) {
    return {
      kind: 'password-hash',
      severity: 'warning',
      reason: `Looks like ${hash.scheme}: a fast unsalted hash is cracked offline in minutes. Hash passwords with bcrypt, argon2, scrypt or PBKDF2, or keep them off the device.`,
      secret: trimmed,
    };
  }
  const what = isPinName(field) ? 'A PIN' : /secret/i.test(field) ? 'A secret' : 'A password';
  return {
    kind: 'password',
    severity: 'error',
    reason: `${what} stored in the clear in "${field}" (not a recognised hash). Credentials belong in secure storage (Keychain / Keystore through flutter_secure_storage); "offline login" needs a slow salted hash, never the password.`,
    secret: trimmed,
  };
}

function tokenFieldDetection(value: string, field: string, tokenName: string): Detection | null {
  const trimmed = value.trim();
  if (trimmed.length < 16 || /\s/.test(trimmed)) return null;
  return {
    kind: 'oauth-token',
    severity: 'error',
    reason: `${tokenName === 'token' ? 'An auth token' : /^[aeiou]/i.test(tokenName) ? `An ${tokenName}` : `A ${tokenName}`} stored in the clear in "${field}": whoever reads the file can act as the user. Tokens belong in secure storage (Keychain / Keystore through flutter_secure_storage).`,
    secret: trimmed,
  };
}

/** What a column or JSON key's name says, worked out once per name. */
interface FieldTraits {
  readonly name: string;
  readonly secret: boolean;
  readonly pin: boolean;
  readonly token: string | null;
  readonly card: boolean;
}

const traitsByName = new Map<string, FieldTraits>();

function traitsOf(name: string): FieldTraits {
  let traits = traitsByName.get(name);
  if (!traits) {
    traits = { name, secret: isSecretName(name), pin: isPinName(name), token: tokenNameOf(name), card: isCardName(name) };
    // Names come from schemas and JSON keys: few distinct ones, but a hostile payload could invent many.
    if (traitsByName.size > 10_000) traitsByName.clear();
    traitsByName.set(name, traits);
  }
  return traits;
}

/** A cell's findings, and the texts in it that secretlint must look at (core/scan/secretlint.ts). */
export interface CellDetections {
  readonly found: PlacedDetection[];
  readonly toLint: Array<{ readonly text: string; readonly path: string | null }>;
}

/** What one string says, given the name of the column or JSON key it sits under. */
function place(detection: Detection | null, path: string | null, into: CellDetections): void {
  if (detection) into.found.push({ ...detection, path });
}

function detectInText(text: string, field: FieldTraits, path: string | null, now: number, into: CellDetections): void {
  if (field.secret) {
    place(secretFieldDetection(text, field.name), path, into);
    return;
  }
  const jwts = findJwts(text, now);
  for (const jwt of jwts) place(jwt, path, into);
  if (field.token && jwts.length === 0) place(tokenFieldDetection(text, field.name, field.token), path, into);
  if (text.length < 12) {
    // Too short for any key, token or card number.
    place(findEmail(text), path, into);
    return;
  }
  for (const credential of findGoogleCredentials(text)) place(credential, path, into);
  if (isSecretlintCandidate(text)) into.toLint.push({ text, path });
  const trimmed = text.charCodeAt(0) <= 32 || text.charCodeAt(text.length - 1) <= 32 ? text.trim() : text;
  place(findCardNumber(trimmed, field.card), path, into);
  place(findEmail(trimmed), path, into);
}

/** Numbers matter only where the name says so: a PIN, or a card number stored as an INTEGER. */
function detectInNumber(value: number | bigint, field: FieldTraits): Detection | null {
  if (!field.pin && !field.card) return null;
  const text = String(value);
  if (field.pin && field.secret && /^\d{4,8}$/.test(text)) return secretFieldDetection(text, field.name);
  return field.card ? findCardNumber(text, true) : null;
}

function looksLikeJson(text: string): boolean {
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(text.length - 1);
  return (first === 0x7b && last === 0x7d) || (first === 0x5b && last === 0x5d);
}

function parseJson(text: string): unknown {
  if (text.length < 2 || text.length > maxWalkedJson) return undefined;
  const trimmed = looksLikeJson(text) ? text : text.trim();
  if (!looksLikeJson(trimmed)) return undefined;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return undefined;
  }
}

function childPath(path: string, key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function walkJson(value: unknown, path: string, field: FieldTraits, now: number, nesting: number, into: CellDetections): void {
  if (typeof value === 'string') {
    const nested = nesting < maxJsonNesting ? parseJson(value) : undefined;
    if (nested !== undefined && typeof nested === 'object' && nested !== null) walkJson(nested, path, field, now, nesting + 1, into);
    else detectInText(value, field, path, now, into);
    return;
  }
  if (typeof value === 'number') {
    const detection = detectInNumber(value, field);
    if (detection) into.found.push({ ...detection, path });
    return;
  }
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) walkJson(value[index], `${path}[${index}]`, field, now, nesting, into);
    return;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) walkJson(item, childPath(path, key), traitsOf(key), now, nesting, into);
  }
}

/**
 * What one text cell (a TEXT value, or a BLOB that decodes as text) holds, and what of it needs
 * secretlint: the caller lints those (lintCell) only when there are any, so most cells cost no
 * promise at all.
 */
export function detectInCell(text: string, column: string, now: number): CellDetections {
  const into: CellDetections = { found: [], toLint: [] };
  const json = parseJson(text);
  if (json !== undefined && typeof json === 'object' && json !== null) walkJson(json, '$', traitsOf(column), now, 1, into);
  else detectInText(text, traitsOf(column), null, now, into);
  return into;
}

/** secretlint's findings in the texts detectInCell set aside. */
export async function lintCell(toLint: CellDetections['toLint']): Promise<PlacedDetection[]> {
  const found: PlacedDetection[] = [];
  for (const { text, path } of toLint) for (const detection of await lintForSecrets(text)) found.push({ ...detection, path });
  return found;
}

export function detectInNumberCell(value: number | bigint, column: string): PlacedDetection[] {
  const detection = detectInNumber(value, traitsOf(column));
  return detection ? [{ ...detection, path: null }] : [];
}
