// Turns SDK errors into short, secret-free reasons that say which call failed and why.
import { redact } from '../model/secrets.js';

export type ErrorKind = 'access-denied' | 'throttled' | 'not-found' | 'region-disabled' | 'network' | 'other';

interface SdkLikeError {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
  $retryable?: { throttling?: boolean };
}

const ACCESS_DENIED =
  /AccessDenied|UnauthorizedOperation|AuthorizationError|NotAuthorized|Forbidden|InvalidClientTokenId|UnrecognizedClient|AccessDeniedException/i;
const THROTTLED = /Throttl|TooManyRequests|RequestLimitExceeded|SlowDown|ProvisionedThroughputExceeded|RequestThrottled/i;
const NOT_FOUND = /NotFound|NoSuch|DoesNotExist|ResourceNotFound/i;
const REGION_DISABLED = /OptInRequired|InvalidClientTokenId.*region|AuthFailure.*region|not enabled for this account/i;

export function errorCode(error: unknown): string {
  const e = error as SdkLikeError;
  return String(e?.name ?? e?.Code ?? e?.code ?? 'Error');
}

export function classifyError(error: unknown): ErrorKind {
  const e = error as SdkLikeError;
  const code = errorCode(error);
  const text = `${code} ${e?.message ?? ''}`;
  if (REGION_DISABLED.test(text)) return 'region-disabled';
  if (e?.$retryable?.throttling || THROTTLED.test(code) || e?.$metadata?.httpStatusCode === 429) return 'throttled';
  if (ACCESS_DENIED.test(code) || e?.$metadata?.httpStatusCode === 403) return 'access-denied';
  if (NOT_FOUND.test(code) || e?.$metadata?.httpStatusCode === 404) return 'not-found';
  if (/ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|socket hang up|TimeoutError/i.test(text)) return 'network';
  return 'other';
}

/** Strip anything that looks like a credential from a message before it is stored or printed (src/model/secrets.ts). */
export function redactSecrets(text: string): string {
  return redact(text).text;
}

/** "AccessDenied on sagemaker:ListEndpoints: User ... is not authorized" (message trimmed, secrets removed). */
export function describeError(error: unknown, action?: string): string {
  const e = error as SdkLikeError;
  const code = errorCode(error);
  const kind = classifyError(error);
  let message = String(e?.message ?? '')
    .replace(/\s+/g, ' ')
    .trim();
  if (message.startsWith('Unexpected token') || message.includes('Deserialization error')) {
    message = `unreadable response (HTTP ${e?.$metadata?.httpStatusCode ?? '?'})`;
  }
  if (message.length > 240) message = `${message.slice(0, 240)}…`;
  const prefix = kind === 'throttled' ? `Throttled (${code}) after retries` : code;
  const where = action ? ` on ${action}` : '';
  return redactSecrets(message && message !== code ? `${prefix}${where}: ${message}` : `${prefix}${where}`);
}
