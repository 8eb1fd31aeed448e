// Shared plumbing of the collectors: turning failures into Observed values, pagination, bounded fan-out.
import pLimit from 'p-limit';
import type { ClientFactory, ClientConstructor, Credentials, SdkClient } from '../aws/clients.js';
import { describeError, errorCode } from '../aws/errors.js';
import { pages } from '../aws/pages.js';
import { seen, unseen, type Observed } from '../model/inventory.js';

/** At most this many per-resource Describe/Get calls in flight per service and region. */
export const DESCRIBE_CONCURRENCY = 4;

export interface CollectorContext {
  factory: ClientFactory;
  credentials: Credentials;
  accountId: string;
  region: string;
  /**
   * Page size for List/Describe calls that take one. Undefined leaves the service default (the largest page);
   * tests set it small to exercise pagination.
   */
  pageSize?: number;
}

export function clientFor<C extends SdkClient>(ctx: CollectorContext, Ctor: ClientConstructor<C>, region = ctx.region): C {
  const client = ctx.factory.client(Ctor, { credentials: ctx.credentials, region, accountId: ctx.accountId });
  guardResponseBodies(client, XML_CLIENTS.has(Ctor.name) ? '<' : '{');
  return client;
}

/** Clients whose protocol answers in XML (REST-XML and the query protocols); every other collector client speaks JSON. */
const XML_CLIENTS = new Set(['S3Client', 'EC2Client', 'STSClient', 'IAMClient']);
const guarded = new WeakSet<object>();

/** The error a 200 with a body that is not the API's shape becomes (the reason is NOT_ASSESSED, never "no configuration"). */
export class MalformedResponseError extends Error {
  override readonly name = 'MalformedResponse';
}

/**
 * Every read the collectors make answers with a body (an XML document or a JSON object). A 200 with an empty
 * body, or one that is not XML/JSON at all, would otherwise parse as "nothing configured" (no Object Lock, no
 * logging, an empty list) and turn into a FAIL or NOT_APPLICABLE: make it an error, so the part is unread.
 */
function guardResponseBodies(client: SdkClient, firstChar: '<' | '{'): void {
  if (guarded.has(client)) return;
  guarded.add(client);
  const stack = client.middlewareStack as unknown as { addRelativeTo(mw: unknown, options: unknown): void };
  stack.addRelativeTo(
    (next: (args: unknown) => Promise<{ response?: { statusCode?: number; body?: unknown } }>, context: { commandName?: string }) =>
      async (args: unknown) => {
        const result = await next(args);
        const response = result.response;
        if (!response || response.statusCode !== 200) return result;
        const bytes = await bodyBytes(response.body);
        response.body = new Uint8Array(bytes);
        const text = bytes.subarray(0, 64).toString('utf8').trimStart();
        const action = (context.commandName ?? 'request').replace(/Command$/, '');
        if (text.length === 0) throw new MalformedResponseError(`${action} answered 200 with an empty body`);
        if (!text.startsWith(firstChar) && !(firstChar === '{' && text.startsWith('[')))
          throw new MalformedResponseError(`${action} answered 200 with a body that is not ${firstChar === '<' ? 'XML' : 'JSON'}`);
        return result;
      },
    { relation: 'after', toMiddleware: 'deserializerMiddleware', name: 'forensightResponseShapeGuard', override: true },
  );
}

async function bodyBytes(body: unknown): Promise<Buffer> {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body);
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** The failure as stored in the Inventory: what failed and why, plus the error code. */
export function failure<T = never>(error: unknown, action: string): Observed<T> {
  return unseen(describeError(error, action), errorCode(error));
}

/** Runs one read; any error becomes unseen(reason naming `action`). Never throws. */
export async function attempt<T>(action: string, read: () => Promise<T>): Promise<Observed<T>> {
  try {
    return seen(await read());
  } catch (error) {
    return failure(error, action);
  }
}

/** Follows a token until the service stops returning one; a repeated token ends the loop (emulator guard). */
export async function paginate<T>(
  fetchPage: (token: string | undefined) => Promise<{ items: T[] | undefined; next: string | undefined | null }>,
): Promise<T[]> {
  const items: T[] = [];
  for await (const page of pages(fetchPage, (p) => p.next || undefined)) items.push(...(page.items ?? []));
  return items;
}

export type Limiter = <T>(work: () => Promise<T>) => Promise<T>;

export function limiter(concurrency = DESCRIBE_CONCURRENCY): Limiter {
  const limit = pLimit(concurrency);
  return (work) => limit(work);
}

/** Memoises one call per key, so a resource shared by several parents is read once. */
export function once<K, V>(read: (key: K) => Promise<V>): (key: K) => Promise<V> {
  const cache = new Map<K, Promise<V>>();
  return (key) => {
    let pending = cache.get(key);
    if (!pending) {
      pending = read(key);
      cache.set(key, pending);
    }
    return pending;
  };
}

export function uniq<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}
