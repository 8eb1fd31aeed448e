// The one secret recogniser of forensight: which secrets a text carries (by type, never the value) and the text
// with every secret replaced by its type. Analysis names the types (invocation-secrets) and shows invocation content
// only after redact(); error messages are stored and printed only after redact() (src/aws/errors.ts redactSecrets).

export interface SecretType {
  name: string;
  /** Matches the whole secret (global): what redact() removes. */
  re: RegExp;
}

export const SECRET_TYPES: readonly SecretType[] = [
  // 16 characters after the prefix; error messages may carry a cut one, so 12 or more.
  { name: 'AWS access key id', re: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{12,}\b/g },
  // The 40-character secret after an "aws ... secret" label or right after an access key id, or any value of a
  // secret_access_key label (SDK and CLI messages print it so).
  {
    name: 'AWS secret access key',
    re: /aws.{0,20}secret.{0,20}['"=:\s][A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])|(?<=\b(?:AKIA|ASIA)[A-Z0-9]{16}[\s,:;|"'/]{1,5})[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])|secret[_-]?access[_-]?key["'=:\s]+[A-Za-z0-9/+=%]{16,}/gi,
  },
  { name: 'AWS session token', re: /(?:(?:aws.?)?session.?token|x-amz-security-token)["'=:\s]+[A-Za-z0-9/+=%]{16,}/gi },
  // A SigV4 signature (a presigned URL's X-Amz-Signature grants the access it signs until it expires).
  { name: 'request signature', re: /\b(?:x-amz-)?signature["'=:\s]+[A-Za-z0-9/+=%]{16,}/gi },
  // The whole block, up to its END line or the end of the text when the END line is missing.
  {
    name: 'private key',
    re: /-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----|$)/g,
  },
  { name: 'GitHub token', re: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{60,})\b/g },
  { name: 'Slack token', re: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g },
  { name: 'Google API key', re: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { name: 'OpenAI / Anthropic API key', re: /\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{32,}\b/g },
  { name: 'Stripe secret key', re: /\b[rs]k_live_[A-Za-z0-9]{20,}\b/g },
  { name: 'JSON Web Token', re: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g },
  { name: 'bearer token', re: /\bBearer\s+[A-Za-z0-9._~+/-]{20,}=*/g },
];

const found = (s: SecretType, text: string): boolean => {
  s.re.lastIndex = 0;
  return s.re.test(text);
};

/** The types of secret the text carries, in SECRET_TYPES order. */
export function secretTypes(text: string): string[] {
  return SECRET_TYPES.filter((s) => found(s, text)).map((s) => s.name);
}

/** Replacement order: a private key block whole first, and a secret key while the key id it follows is still there. */
const REDACT_FIRST = ['private key', 'AWS secret access key'];
const REDACT_ORDER = [...SECRET_TYPES].sort((a, b) => rank(a) - rank(b));
function rank(s: SecretType): number {
  const i = REDACT_FIRST.indexOf(s.name);
  return i < 0 ? REDACT_FIRST.length : i;
}

/** The text with every secret replaced by "[redacted <type>]", and the types it carried (SECRET_TYPES order). */
export function redact(text: string): { text: string; types: string[] } {
  const types = secretTypes(text);
  if (types.length === 0) return { text, types };
  let out = text;
  for (const s of REDACT_ORDER) out = out.replace(s.re, `[redacted ${s.name}]`);
  return { text: out, types };
}
