// Which events findings.json and the report keep as key events: changes and failures, never invocation content.
import { describe, expect, it } from 'vitest';
import { mergeEvents } from '../../../src/analysis/correlate.js';
import { isKeyEvent } from '../../../src/analysis/rules/key-events.js';
import { capture, ct, inv } from './builders.js';

describe('key events', () => {
  it.each([
    ['a StopLogging', ct({ eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging' }), true],
    ['a denied read', ct({ eventSource: 's3.amazonaws.com', eventName: 'GetObject', errorCode: 'AccessDenied' }), true],
    ['a successful read', ct({ eventSource: 's3.amazonaws.com', eventName: 'GetObject' }), false],
    ['GetCallerIdentity', ct({ eventSource: 'sts.amazonaws.com', eventName: 'GetCallerIdentity' }), true],
    ['an invocation-log record', inv({ input: { inputBodyJson: { prompt: 'my key is AKIAIOSFODNN7EXAMPLE' } } }), false],
    ['a data-capture record', capture('{"inputs":"x"}', '{}'), false],
    [
      'a CloudTrail Converse merged with its invocation-log record (the prompt travels in detail)',
      mergeEvents(
        ct({ eventSource: 'bedrock.amazonaws.com', eventName: 'Converse', requestID: 'k-1' }),
        inv({ requestId: 'k-1', input: { inputBodyJson: { prompt: 'secret' } } }),
      ),
      false,
    ],
  ] as const)('%s -> %s', (_name, e, want) => {
    expect(isKeyEvent(e)).toBe(want);
  });
});
