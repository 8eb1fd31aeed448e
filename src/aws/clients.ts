// One factory builds every AWS client from (credentials, region, endpoint). Nothing is a module singleton.
import { createHash } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { CallRecorder, type RecordedCall } from './recorder.js';

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/**
 * SDK clients kept at most. An Organization scan needs one per service x region x account (36,000 at 1,000
 * accounts x 4 regions, about 30 KB each), but only the accounts in flight use theirs: past this the least
 * recently used client is dropped and rebuilt if asked for again.
 */
export const DEFAULT_CLIENT_CACHE_SIZE = 1_000;
export const DEFAULT_CONNECTION_TIMEOUT_MS = 5_000;

/** A call refused or cut short because the run's overall deadline passed. */
export class DeadlineExceededError extends Error {
  override readonly name = 'DeadlineExceeded';
  constructor(action: string) {
    super(`the run's deadline passed before ${action} completed`);
  }
}

export type Credentials = AwsCredentialIdentity | AwsCredentialIdentityProvider;

export interface ClientFactoryOptions {
  /** Send every client to this URL (an emulator or a test proxy). */
  endpoint?: string;
  maxAttempts?: number;
  /** Socket pool size per client; should be at least the scan concurrency. */
  maxSockets?: number;
  /** Time allowed to open a connection. */
  connectionTimeoutMs?: number;
  /** Time allowed from sending a request to its response headers; past it the call fails (and is retried) instead of waiting forever. */
  requestTimeoutMs?: number;
  /** Time a socket may sit idle mid-response (a body that stops arriving) before the call fails. */
  socketTimeoutMs?: number;
  /** When aborted, calls in flight fail at once and new calls fail without being sent: the run can still finish and write its output. */
  deadline?: AbortSignal;
  recorder?: CallRecorder;
  /** Keep each response's raw bytes (evidence collection stores API responses exactly as returned). */
  captureRawResponses?: boolean;
  /** At most this many clients are kept (DEFAULT_CLIENT_CACHE_SIZE). */
  clientCacheSize?: number;
}

/** An API response exactly as it came over the wire, before the SDK parsed it. */
export interface RawResponse {
  statusCode: number;
  contentType: string | null;
  body: Buffer;
}

const RAW_KEY = Symbol('forensightRawResponse');
/** Operations whose body is the payload itself (object content): never buffered here. */
const STREAMING_OPERATIONS = new Set(['GetObjectCommand', 'GetObjectVersionCommand']);

interface MiddlewareContext {
  clientName?: string;
  commandName?: string;
}

// Minimal structural type of an SDK v3 client, enough to attach middleware and send commands.
/* eslint-disable @typescript-eslint/no-explicit-any -- the one type every SDK client satisfies: commands, outputs and configs differ per client */
export interface SdkClient {
  send(command: any, options?: any): Promise<any>;
  middlewareStack: { add(middleware: any, options: any): void };
  destroy(): void;
}

export type ClientConstructor<C extends SdkClient> = new (config: any) => C;
/* eslint-enable @typescript-eslint/no-explicit-any */

export interface ClientTarget {
  credentials: Credentials;
  region: string;
  /** The account the credentials act in; recorded with each call. */
  accountId: string;
}

/** "SageMakerClient" -> "sagemaker", "CloudWatchLogsClient" -> "logs": the IAM service prefix. */
export function serviceOf(clientName: string | undefined): string {
  const map: Record<string, string> = {
    BedrockAgentClient: 'bedrock',
    BedrockAgentCoreControlClient: 'bedrock-agentcore',
    BedrockClient: 'bedrock',
    CloudWatchLogsClient: 'logs',
    ConfigServiceClient: 'config',
    STSClient: 'sts',
  };
  if (!clientName) return 'unknown';
  return map[clientName] ?? clientName.replace(/Client$/, '').toLowerCase();
}

export class ClientFactory {
  readonly recorder: CallRecorder;
  private readonly cache = new Map<string, SdkClient>();
  private readonly handler: NodeHttpHandler;
  private readonly identities = new WeakMap<object, number>();
  private readonly rawResponses = new WeakMap<object, RawResponse>();
  private nextIdentity = 1;
  private deadline: AbortSignal | undefined;

  constructor(private readonly options: ClientFactoryOptions = {}) {
    this.recorder = options.recorder ?? new CallRecorder();
    if (options.deadline) this.useDeadline(options.deadline);
    // The SDK's requestTimeout only logs a warning unless throwOnRequestTimeout is set, and there is no idle
    // socket timeout by default: a call that never answers would hang the run forever.
    this.handler = new NodeHttpHandler({
      requestTimeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
      connectionTimeout: options.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS,
      socketTimeout: options.socketTimeoutMs ?? options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      httpAgent: { maxSockets: options.maxSockets ?? 50, keepAlive: true },
      httpsAgent: { maxSockets: options.maxSockets ?? 50, keepAlive: true },
    });
  }

  /** From now on, calls respect this deadline (see ClientFactoryOptions.deadline). */
  useDeadline(signal: AbortSignal): void {
    this.deadline = signal;
    // Every call in flight listens for it (the handler and the race below): not a leak.
    setMaxListeners(0, signal);
  }

  get endpoint(): string | undefined {
    return this.options.endpoint;
  }

  /**
   * Same (client type, credentials, region) gives the same client while it is cached. A client is built with
   * one account's credentials and never shared with another, so no call can be signed as the wrong account.
   * Every client sends through one HTTP handler, so connections are reused across them all.
   */
  client<C extends SdkClient>(Ctor: ClientConstructor<C>, target: ClientTarget): C {
    const key = `${Ctor.name}|${target.accountId}|${target.region}|${this.identityOf(target.credentials)}`;
    const cached = this.cache.get(key);
    if (cached) {
      // Most recently used last: the Map's order is the eviction order.
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached as C;
    }
    const client = new Ctor({
      region: target.region,
      credentials: target.credentials,
      retryMode: 'adaptive',
      maxAttempts: this.options.maxAttempts ?? 5,
      requestHandler: this.handler,
      ...(this.options.endpoint ? { endpoint: this.options.endpoint, forcePathStyle: true } : {}),
    });
    this.attachRecorder(client, target);
    if (this.options.captureRawResponses) this.attachRawCapture(client);
    this.cache.set(key, client);
    // Dropped, not destroyed: destroy() would close the shared handler that calls in flight still use.
    const limit = this.options.clientCacheSize ?? DEFAULT_CLIENT_CACHE_SIZE;
    for (const oldest of this.cache.keys()) {
      if (this.cache.size <= limit) break;
      this.cache.delete(oldest);
    }
    return client;
  }

  /** The raw response behind an SDK output, when captureRawResponses is on. */
  rawResponseOf(output: unknown): RawResponse | undefined {
    return output && typeof output === 'object' ? this.rawResponses.get(output) : undefined;
  }

  /** Clients currently kept (bounded by clientCacheSize). */
  get cachedClients(): number {
    return this.cache.size;
  }

  destroy(): void {
    this.cache.clear();
    this.handler.destroy();
  }

  private identityOf(credentials: Credentials): number {
    const obj = credentials as object;
    let id = this.identities.get(obj);
    if (id === undefined) {
      id = this.nextIdentity++;
      this.identities.set(obj, id);
    }
    return id;
  }

  private attachRawCapture(client: SdkClient): void {
    const stack = client.middlewareStack as unknown as { addRelativeTo(mw: unknown, options: unknown): void };
    stack.addRelativeTo(
      (next: (args: unknown) => Promise<{ response?: unknown }>, context: MiddlewareContext & Record<symbol, unknown>) => async (args: unknown) => {
        const result = await next(args);
        const response = result?.response as { statusCode?: number; headers?: Record<string, string>; body?: unknown } | undefined;
        if (!response?.body || STREAMING_OPERATIONS.has(context.commandName ?? '')) return result;
        const chunks: Buffer[] = [];
        const body = response.body as AsyncIterable<Uint8Array> | Uint8Array | string;
        if (typeof body === 'string') chunks.push(Buffer.from(body));
        else if (body instanceof Uint8Array) chunks.push(Buffer.from(body));
        else for await (const chunk of body) chunks.push(Buffer.from(chunk));
        const bytes = Buffer.concat(chunks);
        response.body = new Uint8Array(bytes);
        context[RAW_KEY] = {
          statusCode: response.statusCode ?? 0,
          contentType: response.headers?.['content-type'] ?? null,
          body: bytes,
        } satisfies RawResponse;
        return result;
      },
      // Closest to the wire: sees the bytes before the deserializer parses them.
      { relation: 'after', toMiddleware: 'deserializerMiddleware', name: 'forensightRawCapture', override: true },
    );
  }

  private attachRecorder(client: SdkClient, target: ClientTarget): void {
    const recorder = this.recorder;
    const rawResponses = this.rawResponses;
    const deadlineOf = (): AbortSignal | undefined => this.deadline;
    // The signal also reaches the HTTP handler, so a call in flight at the deadline closes its socket.
    const send = client.send.bind(client) as (command: unknown, options?: unknown, callback?: unknown) => Promise<unknown>;
    client.send = (command: unknown, options?: unknown, callback?: unknown) => {
      const abortSignal = deadlineOf();
      if (!abortSignal) return send(command, options, callback);
      return typeof options === 'function'
        ? send(command, { abortSignal }, options)
        : send(command, { abortSignal, ...(options as object | undefined) }, callback);
    };
    client.middlewareStack.add(
      (next: (args: unknown) => Promise<{ output?: { $metadata?: { requestId?: string } } }>, context: MiddlewareContext) =>
        async (args: unknown) => {
          const input = (args as { input?: unknown })?.input ?? {};
          const inputDigest = digestInput(input);
          const service = serviceOf(context.clientName);
          const action = (context.commandName ?? 'Unknown').replace(/Command$/, '');
          const { accountId, region } = target;
          const record = (outcome: Pick<RecordedCall, 'ok' | 'errorCode' | 'requestId'>): void =>
            recorder.record({ inputDigest, service, action, accountId, region, ...outcome, at: new Date().toISOString() });
          try {
            const output = await withinDeadline(deadlineOf(), `${service}:${action}`, () => next(args));
            const raw = (context as Record<symbol, RawResponse | undefined>)[RAW_KEY];
            if (raw && output?.output && typeof output.output === 'object') rawResponses.set(output.output, raw);
            record({ ok: true, requestId: output?.output?.$metadata?.requestId });
            return output;
          } catch (error) {
            const e = error as { name?: string; $metadata?: { requestId?: string } };
            record({ ok: false, errorCode: e?.name ?? 'Error', requestId: e?.$metadata?.requestId });
            throw error;
          }
        },
      // After retries: one record per logical call, not per attempt.
      { step: 'initialize', name: 'forensightCallRecorder', override: true },
    );
  }
}

/** Runs one logical call (all its attempts) unless the deadline has passed or passes meanwhile. */
async function withinDeadline<T>(deadline: AbortSignal | undefined, action: string, call: () => Promise<T>): Promise<T> {
  if (!deadline) return call();
  if (deadline.aborted) throw new DeadlineExceededError(action);
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(new DeadlineExceededError(action));
    deadline.addEventListener('abort', onAbort, { once: true });
  });
  const pending = call();
  // The abandoned call is aborted through the same signal; keep its rejection from going unhandled.
  pending.catch(() => {});
  try {
    return await Promise.race([pending, aborted]);
  } finally {
    if (onAbort) deadline.removeEventListener('abort', onAbort);
  }
}

function digestInput(input: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(input, (_key, value: unknown) =>
      value instanceof Uint8Array || (value && typeof (value as { pipe?: unknown }).pipe === 'function') ? '[body]' : value,
    );
  } catch {
    text = String(input);
  }
  return createHash('sha256')
    .update(text ?? '')
    .digest('hex')
    .slice(0, 16);
}
