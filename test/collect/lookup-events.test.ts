// LookupEvents is not in moto: aws-sdk-client-mock stands in, including throttling.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import pLimit from 'p-limit';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ClientFactory } from '../../src/aws/clients.js';
import type { RoleChain } from '../../src/aws/credentials.js';
import { BundleWriter } from '../../src/collect/bundle.js';
import { BucketResolver, type CollectContext } from '../../src/collect/sources/context.js';
import { collectLookupEvents } from '../../src/collect/sources/lookup-events.js';
import { DEFAULT_STREAM_LIMITS } from '../../src/collect/parsers/stream-reader.js';
import { RateLimiters } from '../../src/collect/throttle.js';
import { ACTOR, header, tempDir, cleanupTempDirs } from './helpers.js';

afterAll(cleanupTempDirs);

const ct = mockClient(CloudTrailClient);
afterEach(() => ct.reset());

const NOW = new Date();
const WINDOW = { start: new Date(NOW.getTime() - 2 * 86_400_000), end: new Date(NOW.getTime() - 86_400_000) };

async function context(window = WINDOW, limiters = new RateLimiters(2)): Promise<{ ctx: CollectContext; events: object[]; bundle: BundleWriter }> {
  const bundle = await BundleWriter.create(await tempDir('lookup'), 'INC-L', ACTOR);
  const factory = new ClientFactory();
  const creds = async () => ({ accessKeyId: 'AKIAEXAMPLEEXAMPLE00', secretAccessKey: 'x' });
  const chain = { forAccount: () => creds } as unknown as RoleChain;
  const events: object[] = [];
  const ctx: CollectContext = {
    factory,
    chain,
    bundle,
    window,
    filter: {},
    events: { add: (r) => void events.push(r), tally: () => undefined, keepsRecords: true },
    downloads: pLimit(4),
    buckets: new BucketResolver(factory, chain, 'us-east-1'),
    lookupLimiters: limiters,
    homeRegion: 'us-east-1',
    organizationId: null,
    accounts: new Map([['111122223333', ['us-east-1']]]),
    limits: DEFAULT_STREAM_LIMITS,
    phase: 'incident',
    claimed: new Set(),
    parsers: null,
  };
  return { ctx, events, bundle };
}

const event = (id: string) => ({
  EventId: id,
  EventName: 'InvokeModel',
  EventSource: 'bedrock.amazonaws.com',
  CloudTrailEvent: JSON.stringify({
    eventID: id,
    eventName: 'InvokeModel',
    eventSource: 'bedrock.amazonaws.com',
    eventTime: WINDOW.start.toISOString(),
  }),
});
const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });

describe('LookupEvents fallback', () => {
  it('pages through the window, saving each page as returned and parsing CloudTrailEvent', async () => {
    ct.on(LookupEventsCommand)
      .resolvesOnce({ Events: [event('e1'), event('e2')], NextToken: 't1', $metadata: { requestId: 'req-1' } })
      .resolvesOnce({ Events: [event('e3')], $metadata: { requestId: 'req-2' } });
    const { ctx, events, bundle } = await context();
    const result = await collectLookupEvents(
      ctx,
      { accountId: '111122223333', region: 'us-east-1' },
      'no trail delivering to S3 covers this account',
    );
    expect(result).toMatchObject({ pages: 2, events: 3, throttleRetries: 0 });
    expect(events.map((e) => (e as { eventID: string }).eventID)).toEqual(['e1', 'e2', 'e3']);
    const calls = ct.commandCalls(LookupEventsCommand);
    expect(calls[0]!.args[0].input).toMatchObject({ StartTime: WINDOW.start, EndTime: WINDOW.end });
    expect(calls[1]!.args[0].input.NextToken).toBe('t1');
    expect(bundle.items.map((i) => i.path)).toEqual([
      'evidence/111122223333/us-east-1/cloudtrail/lookup-events/page-00001.json',
      'evidence/111122223333/us-east-1/cloudtrail/lookup-events/page-00002.json',
    ]);
    expect(bundle.items[0]!.origin).toMatchObject({ kind: 'api', action: 'LookupEvents', requestId: 'req-1' });
    const page = JSON.parse(await readFile(join(bundle.dir, bundle.items[0]!.path), 'utf8'));
    expect(page.NextToken).toBe('t1');
    // Management events only: recorded as a gap so nobody mistakes it for the full record.
    expect(bundle.gaps.map((g) => g.reason).join()).toMatch(/Only management events/);
    await bundle.seal(header(bundle.id), { apiCalls: 2, durationMs: 1 });
  });

  it('backs off and retries when throttled, then carries on', async () => {
    ct.on(LookupEventsCommand)
      .rejectsOnce(throttled())
      .rejectsOnce(throttled())
      .resolves({ Events: [event('e1')] });
    const { ctx, events, bundle } = await context();
    const result = await collectLookupEvents(ctx, { accountId: '111122223333', region: 'us-east-1' }, 'test', { baseDelayMs: 10 });
    expect(result).toMatchObject({ pages: 1, events: 1, throttleRetries: 2 });
    expect(events).toHaveLength(1);
    expect(bundle.items).toHaveLength(1); // failed attempts leave no files
  });

  it('records a gap when throttling persists past the retries, without throwing', async () => {
    ct.on(LookupEventsCommand).rejects(throttled());
    const { ctx, bundle } = await context();
    const result = await collectLookupEvents(ctx, { accountId: '111122223333', region: 'us-east-1' }, 'test', { retries: 2, baseDelayMs: 5 });
    expect(result.pages).toBe(0);
    expect(ct.commandCalls(LookupEventsCommand)).toHaveLength(3);
    expect(bundle.gaps.at(-1)).toMatchObject({ source: 'cloudtrail', errorCode: 'ThrottlingException', reason: expect.stringMatching(/Throttled/) });
  });

  it('never exceeds 2 requests per second per account-region; account-regions do not wait for each other', async () => {
    const clock = new VirtualClock(2);
    const stamps = new Map<string, number[]>();
    ct.on(LookupEventsCommand).callsFake(async (_input, getClient) => {
      const region = await (getClient() as CloudTrailClient).config.region();
      const list = stamps.get(region) ?? [];
      list.push(clock.now());
      stamps.set(region, list);
      return { Events: [], ...(list.length < 5 ? { NextToken: `t${list.length}` } : {}) };
    });
    const { ctx } = await context(WINDOW, new RateLimiters(2, clock.now, clock.sleep));
    await Promise.all(
      ['us-east-1', 'eu-west-1'].map((region) => collectLookupEvents(ctx, { accountId: '111122223333', region }, 'test').finally(clock.leave)),
    );
    for (const region of ['us-east-1', 'eu-west-1']) {
      const t = stamps.get(region)!;
      expect(t).toHaveLength(5);
      // Any three consecutive requests span at least one second (at most 2 per second).
      for (let i = 2; i < t.length; i++) expect(t[i]! - t[i - 2]!).toBeGreaterThanOrEqual(1000);
    }
    // 5 requests at 2/s take 2 s of (virtual) time; the two regions ran side by side, not one after the other.
    expect(Math.max(...stamps.get('us-east-1')!, ...stamps.get('eu-west-1')!)).toBe(2000);
  });

  it('does not call LookupEvents for a window older than its 90 days', async () => {
    const old = { start: new Date(NOW.getTime() - 200 * 86_400_000), end: new Date(NOW.getTime() - 150 * 86_400_000) };
    const { ctx, bundle } = await context(old);
    await collectLookupEvents(ctx, { accountId: '111122223333', region: 'us-east-1' }, 'bucket unreadable');
    expect(ct.commandCalls(LookupEventsCommand)).toHaveLength(0);
    expect(bundle.gaps[0]!.reason).toMatch(/90 days/);
  });
});

/**
 * Time that moves only when every participant still running is asleep: the earliest wake-up runs first. Waiting for
 * all of them (not for one event-loop turn) keeps a participant busy with real I/O, such as writing a page to the
 * bundle, from falling behind in virtual time on a loaded machine.
 */
class VirtualClock {
  private t = 0;
  private readonly timers: { at: number; wake: () => void }[] = [];
  private scheduled = false;
  constructor(private participants: number) {}
  readonly now = (): number => this.t;
  readonly sleep = (ms: number): Promise<void> =>
    new Promise((wake) => {
      this.timers.push({ at: this.t + ms, wake });
      this.schedule();
    });
  /** A participant that finished never sleeps again. */
  readonly leave = (): void => {
    this.participants--;
    this.schedule();
  };

  private schedule(): void {
    if (this.scheduled || this.timers.length === 0 || this.timers.length < this.participants) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers.shift()!;
      this.t = Math.max(this.t, next.at);
      next.wake();
    });
  }
}
