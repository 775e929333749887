// Value shapes that are secrets wherever they are stored: JWTs (decoded, never printed), Google
// API keys and OAuth tokens, card numbers that pass Luhn, and emails (personal data, info only).
import type { Detection } from './types';

const secureStorage = 'Tokens and keys belong in secure storage (Keychain / Keystore through flutter_secure_storage), not in the app database.';

// header.payload.signature, both JSON parts starting with `{"` (base64url `eyJ`).
const jwtPattern = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g;

function decodeJsonPart(part: string): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function claimText(value: unknown): string | null {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
}

/** Every JWT inside `text`: header and payload decoded, alg, iss, exp (expired or not) and sub. */
export function findJwts(text: string, now: number): Detection[] {
  if (!text.includes('eyJ')) return [];
  const found: Detection[] = [];
  for (const match of text.matchAll(jwtPattern)) {
    const [headerPart, payloadPart] = match[0].split('.');
    const header = decodeJsonPart(headerPart ?? '');
    const payload = decodeJsonPart(payloadPart ?? '');
    if (!header || !payload || typeof header.alg !== 'string') continue;
    const alg = header.alg;
    const iss = claimText(payload.iss);
    const sub = claimText(payload.sub);
    const exp = typeof payload.exp === 'number' ? payload.exp * 1000 : null;
    const expired = exp !== null && exp < now;
    const claims = [
      `alg ${alg}${alg.toLowerCase() === 'none' ? ' (unsigned)' : ''}`,
      `iss ${iss ?? 'none'}`,
      `sub ${sub ?? 'none'}`,
      exp === null ? 'no exp (never expires)' : `exp ${new Date(exp).toISOString()} (${expired ? 'expired' : 'not expired'})`,
    ].join(', ');
    found.push({
      kind: 'jwt',
      // An expired token no longer grants access, but still carries its claims and often sits beside its refresh token.
      severity: expired ? 'warning' : 'error',
      reason: `A JWT stored in the clear: ${claims}. ${expired ? 'It has expired, but its claims are readable by anyone with the file. ' : 'Anyone with the file can use it until it expires. '}${secureStorage}`,
      secret: match[0],
    });
  }
  return found;
}

const googleApiKey = /AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g;
const googleAccessToken = /ya29\.[0-9A-Za-z_-]{20,}/g;
const googleRefreshToken = /(?<![0-9A-Za-z_/-])1\/\/0[0-9A-Za-z_-]{30,}/g;

export function findGoogleCredentials(text: string): Detection[] {
  const found: Detection[] = [];
  if (text.includes('AIza')) {
    for (const match of text.matchAll(googleApiKey)) {
      found.push({
        kind: 'google-api-key',
        severity: 'warning',
        reason:
          'A Google API key. If it is the app\'s Firebase web API key, it is not a secret by design: it only names the Firebase project, and Security Rules and App Check protect the data. Any other Google API key (Maps, Gemini, Cloud) is a credential: restrict it in the Cloud console and keep it out of the database.',
        secret: match[0],
      });
    }
  }
  if (text.includes('ya29.')) {
    for (const match of text.matchAll(googleAccessToken)) {
      found.push({ kind: 'oauth-token', severity: 'error', reason: `A Google OAuth access token (ya29.): it grants its scopes to whoever holds it until it expires. ${secureStorage}`, secret: match[0] });
    }
  }
  if (text.includes('1//')) {
    for (const match of text.matchAll(googleRefreshToken)) {
      found.push({ kind: 'oauth-token', severity: 'error', reason: `A Google OAuth refresh token (1//): it mints new access tokens until revoked. ${secureStorage}`, secret: match[0] });
    }
  }
  return found;
}

export function passesLuhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let index = digits.length - 1; index >= 0; index--) {
    let digit = digits.charCodeAt(index) - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}

/** The card network whose numbers start and run like `digits`, or null. */
export function cardNetworkOf(digits: string): string | null {
  const length = digits.length;
  const prefix = (count: number): number => Number(digits.slice(0, count));
  if (digits.startsWith('4') && (length === 13 || length === 16 || length === 19)) return 'Visa';
  if (length === 16 && ((prefix(2) >= 51 && prefix(2) <= 55) || (prefix(4) >= 2221 && prefix(4) <= 2720))) return 'Mastercard';
  if (length === 15 && (prefix(2) === 34 || prefix(2) === 37)) return 'American Express';
  if (length >= 16 && length <= 19 && (digits.startsWith('6011') || digits.startsWith('65') || (prefix(3) >= 644 && prefix(3) <= 649))) return 'Discover';
  if (length >= 16 && length <= 19 && prefix(4) >= 3528 && prefix(4) <= 3589) return 'JCB';
  if (length === 14 && (prefix(2) === 36 || prefix(2) === 38 || (prefix(3) >= 300 && prefix(3) <= 305))) return 'Diners Club';
  return null;
}

const cardLike = /^\d[\d -]{11,22}\d$/;

/**
 * A card number: a whole value of 13-19 digits (spaces or dashes between groups allowed) of a card
 * network that passes Luhn. In a column named like a card, any 12-19 digits that pass Luhn.
 */
export function findCardNumber(value: string, inCardField: boolean): Detection | null {
  if (!cardLike.test(value)) return null;
  const digits = value.replace(/[ -]/g, '');
  if (digits.length < 12 || digits.length > 19 || !passesLuhn(digits)) return null;
  const network = cardNetworkOf(digits);
  if (!network && !inCardField) return null;
  return {
    kind: 'card-number',
    severity: 'error',
    reason: `A ${network ?? 'payment'} card number that passes the Luhn check, stored in the clear: card data must never be kept on the device (PCI DSS); keep the payment provider's token instead.`,
    secret: value,
  };
}

const emailPattern = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/;

export function findEmail(value: string): Detection | null {
  if (value.length > 254 || !value.includes('@') || !emailPattern.test(value)) return null;
  return { kind: 'email', severity: 'info', reason: 'An email address: personal data, not a secret. Fine to keep for the signed-in user; know where it is for deletion requests.', secret: value };
}
