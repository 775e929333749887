// Password hashes by their storage formats (modular crypt and the frameworks' own), so that a hashed
// password is reported as hashed (info) and never as a password in the clear.

export interface RecognisedHash {
  /** bcrypt, argon2id, scrypt, PBKDF2-SHA256, ... */
  readonly scheme: string;
  /** A slow, salted password hash (true), or a bare fast digest (false: crackable offline). */
  readonly slow: boolean;
}

const b64 = '[A-Za-z0-9+/.=_-]';
const formats: ReadonlyArray<{ pattern: RegExp; scheme: (match: RegExpMatchArray) => string }> = [
  // bcrypt: $2a$10$ + 22 salt + 31 hash characters.
  { pattern: /^\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}$/, scheme: () => 'bcrypt' },
  { pattern: new RegExp(`^\\$(argon2(?:id|i|d))\\$(?:v=\\d+\\$)?m=\\d+,t=\\d+,p=\\d+(?:,[a-z]+=[^$]*)*\\$${b64}+\\$${b64}+$`), scheme: (match) => match[1]! },
  // passlib's $scrypt$ln=..,r=..,p=..$salt$hash, libxcrypt's $7$, Werkzeug's scrypt:N:r:p$salt$hash.
  { pattern: new RegExp(`^\\$scrypt\\$ln=\\d+,r=\\d+,p=\\d+\\$${b64}*\\$${b64}+$`), scheme: () => 'scrypt' },
  { pattern: /^\$7\$[./A-Za-z0-9]{11,}\$[./A-Za-z0-9]{43,}$/, scheme: () => 'scrypt' },
  { pattern: new RegExp(`^scrypt:\\d+:\\d+:\\d+\\$${b64}+\\$[0-9a-f]+$`), scheme: () => 'scrypt' },
  // Django's pbkdf2_sha256$iterations$salt$hash, passlib's $pbkdf2-sha256$, Werkzeug's pbkdf2:sha256:iterations$salt$hash.
  { pattern: new RegExp(`^pbkdf2_(sha\\d+)\\$\\d+\\$${b64}+\\$${b64}+$`), scheme: (match) => `PBKDF2-${match[1]!.toUpperCase()}` },
  { pattern: new RegExp(`^\\$pbkdf2(?:-(sha\\d+))?\\$\\d+\\$${b64}+\\$${b64}+$`), scheme: (match) => `PBKDF2-${(match[1] ?? 'sha1').toUpperCase()}` },
  { pattern: new RegExp(`^pbkdf2:(sha\\d+):\\d+\\$${b64}+\\$[0-9a-f]+$`), scheme: (match) => `PBKDF2-${match[1]!.toUpperCase()}` },
  // glibc's SHA-crypt ($5$ / $6$, salted and iterated).
  { pattern: /^\$([56])\$(?:rounds=\d+\$)?[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{43,86}$/, scheme: (match) => (match[1] === '5' ? 'SHA-256-crypt' : 'SHA-512-crypt') },
];

const digestLengths = new Map([
  [32, 'MD5'],
  [40, 'SHA-1'],
  [64, 'SHA-256'],
  [128, 'SHA-512'],
]);

/** The hash scheme `value` is stored in, or null when it is not a recognised hash. */
export function recogniseHash(value: string): RecognisedHash | null {
  for (const format of formats) {
    const match = value.match(format.pattern);
    if (match) return { scheme: format.scheme(match), slow: true };
  }
  const digest = digestLengths.get(value.length);
  if (digest && /^[0-9a-fA-F]+$/.test(value)) return { scheme: `a bare ${digest} digest`, slow: false };
  return null;
}
