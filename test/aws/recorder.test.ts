import { describe, expect, it } from 'vitest';
import { CallRecorder, callBudget, type RecordedCall } from '../../src/aws/recorder.js';

const call = (i: number, over: Partial<RecordedCall> = {}): RecordedCall => ({
  inputDigest: i.toString(16).padStart(16, '0'),
  service: i % 2 ? 'sagemaker' : 's3',
  action: i % 3 ? 'ListEndpoints' : 'GetBucketTagging',
  accountId: String(200000000000 + (i % 7)),
  region: ['us-east-1', 'eu-west-1'][i % 2]!,
  ok: true,
  requestId: `req-${i}`,
  at: new Date(Date.UTC(2026, 11, 2, 8, 0, 0, i)).toISOString(),
  ...over,
});

describe('CallRecorder (compact call log)', () => {
  it('gives back every call as recorded, in order, past its first storage chunk', () => {
    const recorder = new CallRecorder();
    const sent = Array.from({ length: 10_000 }, (_, i) => (i % 5 === 0 ? call(i, { ok: false, errorCode: 'AccessDenied' }) : call(i)));
    for (const c of sent) recorder.record(c);
    expect(recorder.count).toBe(10_000);
    expect(recorder.calls).toEqual(sent);
  });

  it('leaves out errorCode and requestId when the call had none, as JSON did', () => {
    const recorder = new CallRecorder();
    const { requestId: _dropped, ...bare } = call(1);
    recorder.record({ ...bare, requestId: undefined });
    expect(recorder.calls[0]).toStrictEqual(bare);
    expect(Object.keys(recorder.calls[0]!)).toEqual(['inputDigest', 'service', 'action', 'accountId', 'region', 'ok', 'at']);
  });

  it('counts errors and distinct actions, and tells listeners of each call', () => {
    const recorder = new CallRecorder();
    const heard: string[] = [];
    recorder.onCall((c) => heard.push(c.inputDigest));
    recorder.record(call(0));
    recorder.record(call(1, { ok: false, errorCode: 'ThrottlingException' }));
    recorder.record(call(2));
    expect(recorder.errorCount).toBe(1);
    expect(recorder.distinctActions()).toEqual(['s3:GetBucketTagging', 's3:ListEndpoints', 'sagemaker:ListEndpoints']);
    expect(heard).toEqual([call(0).inputDigest, call(1).inputDigest, call(2).inputDigest]);
  });

  it('feeds the call budget from its entries without building the whole list', () => {
    const recorder = new CallRecorder();
    for (let i = 0; i < 8; i++) recorder.record(call(i, { accountId: '200000000001' }));
    expect(callBudget(recorder.entries(), { '200000000001': 2 }).overall).toBe(4);
  });
});
