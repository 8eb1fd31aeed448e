// Shared plumbing of the collectors: turning failures into Observed values, pagination, bounded fan-out.
import pLimit from 'p-limit';
import type { ClientFactory, ClientConstructor, Credentials, SdkClient } from '../aws/clients.js';
import { describeError, errorCode } from '../aws/errors.js';
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
  return ctx.factory.client(Ctor, { credentials: ctx.credentials, region, accountId: ctx.accountId });
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
export async function paginate<T>(fetchPage: (token: string | undefined) => Promise<{ items: T[] | undefined; next: string | undefined | null }>): Promise<T[]> {
  const items: T[] = [];
  const seenTokens = new Set<string>();
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    items.push(...(page.items ?? []));
    token = page.next ?? undefined;
    if (token !== undefined) {
      if (seenTokens.has(token)) break;
      seenTokens.add(token);
    }
  } while (token);
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

