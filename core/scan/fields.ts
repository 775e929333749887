// What a column or JSON key's name says its values are. Names come in every style an app uses
// (camelCase, snake_case, kebab-case, Isar's class names), so they are split into lowercase words.

/** `refreshToken`, `refresh_token`, `RefreshToken` -> ['refresh', 'token']. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
}

const secretWords = new Set(['password', 'passwd', 'pwd', 'passcode', 'passphrase', 'pin', 'secret']);
/** A secret word followed by one of these still names the secret itself (`password_hash`, `pinCode`). */
const valueSuffixes = new Set(['hash', 'hashed', 'digest', 'enc', 'encrypted', 'plain', 'text', 'value', 'key', 'code', 'clear']);

/**
 * A name like password, passwd, pin or secret (`userPassword`, `pin_code`, `client_secret`), and not
 * one that only talks about it (`passwordUpdatedAt`, `hasPassword`, `secretQuestion`).
 */
export function isSecretName(name: string): boolean {
  const words = nameWords(name);
  const last = words.at(-1);
  if (last === undefined) return false;
  if (secretWords.has(last)) return words[0] !== 'has' && words[0] !== 'is';
  const beforeLast = words.at(-2);
  return beforeLast !== undefined && secretWords.has(beforeLast) && valueSuffixes.has(last);
}

/** A PIN is short and numeric, so a number in a pin column is one too. */
export function isPinName(name: string): boolean {
  const words = nameWords(name);
  return words.includes('pin') || words.includes('passcode');
}

const tokenQualifiers = new Set(['access', 'refresh', 'id', 'auth', 'bearer', 'session', 'oauth', 'api', 'jwt']);
/** Tokens that are not credentials: push registrations, CSRF nonces, pagination and sync cursors. */
const harmlessTokenWords = new Set(['push', 'fcm', 'apns', 'device', 'registration', 'notification', 'csrf', 'xsrf', 'page', 'next', 'sync', 'continuation', 'cursor', 'resume']);

/** The kind of credential a name says a column holds: 'access token', 'refresh token', or null. */
export function tokenNameOf(name: string): string | null {
  const words = nameWords(name);
  if (words.some((word) => harmlessTokenWords.has(word))) return null;
  const at = words.lastIndexOf('token');
  if (at < 0) return null;
  if (at !== words.length - 1 && !['value', 'text', 'enc', 'encrypted'].includes(words.at(-1) ?? '')) return null;
  if (words.length === 1) return 'token';
  const qualifier = words[at - 1];
  if (qualifier === undefined || !tokenQualifiers.has(qualifier)) return null;
  return qualifier === 'api' || qualifier === 'jwt' ? `${qualifier === 'api' ? 'API' : 'JWT'} token` : `${qualifier} token`;
}

/** card, cardNumber, cc_number, pan, credit_card. */
export function isCardName(name: string): boolean {
  const words = nameWords(name);
  if (words.includes('pan') || words.includes('ccnumber') || words.includes('creditcard')) return true;
  const card = words.indexOf('card');
  return card >= 0 && (card === words.length - 1 || ['number', 'no', 'num'].includes(words[card + 1] ?? ''));
}
