// Secrets in invocation content never reach an output. A bundle whose prompts and responses carry an AWS key
// pair, a session token, a private key and API tokens in every invocation format (InvokeModel, Converse,
// ConverseStream, a base64-chunked response stream, CloudWatch-delivered records, SageMaker data capture, an
// endpoint container log) is analysed into every format, and the actor's storyline printed: no output holds any
// part of a secret, the rules still name the types, and the content shown is bounded and hashed.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ItemOrigin } from '../../src/collect/manifest.js';
import type { Analysis } from '../../src/analysis/run.js';
import type { TimelineEvent } from '../../src/analysis/event.js';
import { capText, MAX_FIELD_CHARS, publicEvent, shownContent, type ShownContent } from '../../src/analysis/public-event.js';
import { redact, secretTypes } from '../../src/model/secrets.js';
import { writeBundle } from '../support/analysis-bundle.js';
import { runCli } from '../support/cli.js';
import { cleanupTempDirs, tempDir } from './helpers.js';
import { capture, inv } from './rules/builders.js';

afterAll(cleanupTempDirs);

const ACCOUNT = '123456789012';
const INVOKER = `arn:aws:iam::${ACCOUNT}:user/app`;
const PEM_BODY = 'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw';
const SECRETS = {
  keyId: 'AKIAZ7VQ2TESTKEY0001',
  secretKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEYZ',
  sessionToken: 'IQoJb3JpZ2luX2VjEPr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD',
  pemBody: PEM_BODY,
  github: 'ghp_R4nd0mT0kenV4lue1234567890abcdefABCD',
  slack: 'xoxb-2048-4096-R4nd0mSl4ckT0ken',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiIsInJvbGUiOiJyb290In0.c2lnbmF0dXJlX29mX3RoZV90b2tlbg',
};
const PROMPT = [
  `Debug my deploy. My creds: ${SECRETS.keyId} ${SECRETS.secretKey}`,
  `aws_session_token=${SECRETS.sessionToken}`,
  `-----BEGIN RSA PRIVATE KEY-----\n${PEM_BODY}\n${PEM_BODY.split('').reverse().join('')}\n-----END RSA PRIVATE KEY-----`,
  `CI uses ${SECRETS.github} and posts with ${SECRETS.slack}, auth ${SECRETS.jwt}`,
].join('\n');
/** A response that repeats the secrets, split across stream chunks mid-secret. */
const REPLY = `Found these: ${SECRETS.keyId} / ${SECRETS.secretKey} and ${SECRETS.github}.`;
const chunks = (text: string, size: number): string[] => text.match(new RegExp(`[^]{1,${size}}`, 'g')) ?? [];
/** Substrings of every secret: a half secret is still a leak. */
const FRAGMENTS = Object.values(SECRETS).flatMap((s) => [s, s.slice(0, Math.ceil(s.length / 2) + 4), s.slice(-Math.ceil(s.length / 2) - 4)]);

const t = (minute: number): string => `2026-11-01T10:${String(minute).padStart(2, '0')}:00Z`;
const invocation = (minute: number, operation: string, input: unknown, output: unknown, extra: Record<string, unknown> = {}) => ({
  schemaType: 'ModelInvocationLog',
  schemaVersion: '1.0',
  timestamp: t(minute),
  accountId: ACCOUNT,
  region: 'us-east-1',
  requestId: `req-${minute}`,
  operation,
  modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
  identity: { arn: INVOKER },
  input: { inputContentType: 'application/json', inputBodyJson: input, inputTokenCount: 40 },
  output: { outputContentType: 'application/json', outputBodyJson: output, outputTokenCount: 20 },
  ...extra,
});
const messages = (text: string) => ({ messages: [{ role: 'user', content: [{ text }] }] });

const RECORDS = [
  invocation(
    1,
    'InvokeModel',
    { anthropic_version: 'bedrock-2023-05-31', messages: [{ role: 'user', content: [{ type: 'text', text: PROMPT }] }] },
    { content: [{ type: 'text', text: REPLY }], stop_reason: 'end_turn' },
  ),
  invocation(2, 'Converse', messages(PROMPT), { output: { message: { role: 'assistant', content: [{ text: REPLY }] } }, stopReason: 'end_turn' }),
  invocation(3, 'ConverseStream', messages(PROMPT), [
    { messageStart: { role: 'assistant' } },
    ...chunks(REPLY, 7).map((text) => ({ contentBlockDelta: { delta: { text }, contentBlockIndex: 0 } })),
    { messageStop: { stopReason: 'end_turn' } },
  ]),
  invocation(
    4,
    'InvokeModelWithResponseStream',
    { prompt: PROMPT },
    chunks(REPLY, 9).map((text) => ({
      chunk: { bytes: Buffer.from(JSON.stringify({ type: 'content_block_delta', delta: { type: 'text_delta', text } })).toString('base64') },
    })),
  ),
  // A guardrail trace quotes what its sensitive-information filter matched.
  invocation(
    5,
    'Converse',
    messages(PROMPT),
    { output: { message: { role: 'assistant', content: [{ text: 'blocked' }] } }, stopReason: 'guardrail_intervened' },
    {
      guardrailTrace: {
        sensitiveInformationPolicy: { regexes: [{ match: SECRETS.secretKey, action: 'BLOCKED' }], piiEntities: [{ match: SECRETS.keyId }] },
      },
    },
  ),
];

const api = (service: string, logGroupName: string): ItemOrigin => ({
  kind: 'api',
  service,
  action: 'FilterLogEvents',
  accountId: ACCOUNT,
  region: 'us-east-1',
  requestId: null,
  params: { logGroupName },
});
const CAPTURE_KEY = 'capture/fraud-ep/AllTraffic/2026/11/01/10/capture.jsonl';

let bundleDir: string;
let outDir: string;
let run: Awaited<ReturnType<typeof runCli>>;

beforeAll(async () => {
  const cw = {
    events: [
      {
        timestamp: Date.parse(t(6)),
        message: JSON.stringify(
          invocation(6, 'Converse', messages(PROMPT), { output: { message: { role: 'assistant', content: [{ text: REPLY }] } } }),
        ),
      },
    ],
  };
  const captured = {
    captureData: {
      endpointInput: {
        observedContentType: 'application/json',
        mode: 'INPUT',
        data: Buffer.from(JSON.stringify({ inputs: PROMPT })).toString('base64'),
        encoding: 'BASE64',
      },
      endpointOutput: { observedContentType: 'application/json', mode: 'OUTPUT', data: JSON.stringify({ generated_text: REPLY }), encoding: 'JSON' },
    },
    eventMetadata: { eventId: 'cap-1', inferenceId: 'inf-1', inferenceTime: t(7) },
  };
  // A container log line that puts a token right where a 500-character excerpt would cut it.
  const logLine = `${'x'.repeat(420)} request auth ${SECRETS.jwt}`;
  bundleDir = await writeBundle(await tempDir('redaction'), {
    files: [
      {
        path: `evidence/${ACCOUNT}/us-east-1/bedrock/invocation-logs-s3/inv-logs/AWSLogs/records.json`,
        body: `${RECORDS.map((r) => JSON.stringify(r)).join('\n')}\n`,
        source: 'bedrock',
        from: ['inv-logs', 'AWSLogs/records.json'],
      },
      {
        path: `evidence/${ACCOUNT}/us-east-1/bedrock/invocation-logs-cw/g/events.p00001.json`,
        body: JSON.stringify(cw),
        source: 'bedrock',
        from: api('logs', '/aws/bedrock/invocations'),
      },
      {
        path: `evidence/${ACCOUNT}/us-east-1/sagemaker/data-capture/capture-bucket/${CAPTURE_KEY}`,
        body: `${JSON.stringify(captured)}\n`,
        source: 'sagemaker',
        from: ['capture-bucket', CAPTURE_KEY],
      },
      {
        path: `evidence/${ACCOUNT}/us-east-1/sagemaker/endpoint-logs/g/events.p00001.json`,
        body: JSON.stringify({ events: [{ timestamp: Date.parse(t(8)), message: logLine, logStreamName: 'AllTraffic/i-1' }] }),
        source: 'sagemaker',
        from: api('logs', '/aws/sagemaker/Endpoints/fraud-ep'),
      },
    ],
  });
  outDir = join(await tempDir('redaction-out'), 'analysis');
  run = await runCli(['analyze', bundleDir, '--format', 'json,html,pdf,ocsf,csv', '--out', outDir, '--actor', INVOKER]);
}, 120_000);

const pdfToText = (file: string): string =>
  execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).replace(/[\u200b\s]/g, '');

describe('invocation content in outputs', () => {
  it('analyses every format and names the secret types in findings', async () => {
    expect(run.code, run.stderr).toBe(0);
    const analysis = JSON.parse(await readFile(join(outDir, 'findings.json'), 'utf8')) as Analysis;
    expect(analysis.stats.bySource).toMatchObject({ 'bedrock-invocation': 6, 'sagemaker-data-capture': 1, 'sagemaker-endpoint-log': 1 });
    const secrets = analysis.findings.filter((f) => f.ruleId === 'invocation-secrets');
    const summaries = secrets.map((f) => f.summary).join('\n');
    for (const said of [
      'AWS access key id in a prompt',
      'AWS secret access key in a prompt',
      'private key in a prompt',
      'JSON Web Token in a prompt',
      'AWS access key id in a response',
    ])
      expect(summaries).toContain(said);
  });

  it('no output file and nothing printed holds any secret or half of one', async () => {
    const files = await readdir(outDir);
    expect(files.sort()).toEqual([
      'analysis-manifest.json',
      'findings.csv',
      'findings.json',
      'findings.ocsf.json',
      'incident-report.html',
      'incident-report.pdf',
      'timeline.jsonl',
    ]);
    const texts: [string, string][] = [
      ['stdout', run.stdout],
      ['stderr', run.stderr],
      ...(await Promise.all(
        files.filter((f) => !f.endsWith('.pdf')).map(async (f): Promise<[string, string]> => [f, await readFile(join(outDir, f), 'utf8')]),
      )),
      ['incident-report.pdf', pdfToText(join(outDir, 'incident-report.pdf'))],
    ];
    // JSON escapes "/" nowhere but a reader may: compare with JSON escapes undone too.
    for (const [name, text] of texts)
      for (const fragment of FRAGMENTS)
        for (const form of [fragment, JSON.stringify(fragment).slice(1, -1)]) expect(text.includes(form), `${name} holds ${form}`).toBe(false);
    expect(run.stdout).toMatch(/Storyline of/);
  });

  it('the timeline shows the reassembled prompt and response, redacted and bounded, with no hash of text that held a secret', async () => {
    const timeline = (await readFile(join(outDir, 'timeline.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as TimelineEvent);
    const invocations = timeline.filter((e) => e.source === 'bedrock-invocation' || e.source === 'sagemaker-data-capture');
    expect(invocations).toHaveLength(7);
    for (const e of invocations) {
      expect(e.detail).not.toHaveProperty('input');
      expect(e.detail).not.toHaveProperty('captureData');
      const prompt = e.detail!.prompt as ShownContent;
      expect(prompt.text).toContain('Debug my deploy. My creds: [redacted AWS access key id] [redacted AWS secret access key]');
      expect(prompt.text).toContain('[redacted private key]');
      expect(prompt.redacted).toEqual(
        expect.arrayContaining([
          'AWS access key id',
          'AWS secret access key',
          'AWS session token',
          'private key',
          'GitHub token',
          'Slack token',
          'JSON Web Token',
        ]),
      );
      // A hash of text that held a secret would let anyone confirm a guessed secret.
      expect(prompt.sha256).toBeNull();
    }
    const stream = invocations.find((e) => e.action === 'ConverseStream')!;
    expect((stream.detail!.response as ShownContent).text).toBe(
      'Found these: [redacted AWS access key id] / [redacted AWS secret access key] and [redacted GitHub token].',
    );
    expect(timeline.find((e) => e.source === 'sagemaker-endpoint-log')!.detail!.message).toMatch(/request auth \[redacted JSON Web Token\]$/);
  });
});

describe('redaction helpers', () => {
  it.each([
    ['an access key id and its secret after it', `${SECRETS.keyId}:${SECRETS.secretKey}`, ['AWS access key id', 'AWS secret access key']],
    ['a labelled secret key', `aws_secret_access_key = ${SECRETS.secretKey}`, ['AWS secret access key']],
    ['a private key without its END line', `-----BEGIN OPENSSH PRIVATE KEY-----\n${PEM_BODY}`, ['private key']],
    ['a bearer token', 'Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345', ['bearer token']],
    ['no secret: prose about keys', 'An access key has an id (AKIA...) and a secret.', []],
    ['no secret: a 40-character hash not next to a key id', 'commit 0123456789abcdef0123456789abcdef01234567', []],
  ])('%s', (_, text, types) => {
    expect(secretTypes(text)).toEqual(types);
    const r = redact(text);
    expect(r.types).toEqual(types);
    if (types.length)
      for (const fragment of [SECRETS.secretKey, PEM_BODY, 'abcdefghijklmnopqrstuvwxyz012345']) expect(r.text).not.toContain(fragment);
    else expect(r.text).toBe(text);
  });

  it('caps a field, saying how much is left out', () => {
    expect(capText('a'.repeat(MAX_FIELD_CHARS + 5))).toBe(`${'a'.repeat(MAX_FIELD_CHARS)}… 5 more characters`);
    expect(capText('short')).toBe('short');
  });

  it('a long prompt is cut in the output, with its full length and hash', () => {
    const long = `${'lorem ipsum '.repeat(1000)}${SECRETS.github}`;
    const shown = publicEvent(inv({ operation: 'Converse', input: { inputBodyJson: messages(long) } })).detail!.prompt as ShownContent;
    expect(shown.chars).toBe(long.length + 1);
    // The count is of the redacted text left out.
    const redactedLength = long.length + 1 - SECRETS.github.length + '[redacted GitHub token]'.length;
    expect(shown.text).toMatch(new RegExp(`^(lorem ipsum ){166}lorem ip… ${redactedLength - MAX_FIELD_CHARS} more characters$`));
    expect(shown.redacted).toEqual(['GitHub token']);
  });

  it('content is hashed only when no secret was removed from it', () => {
    const clean = 'Summarise the quarterly report.';
    const shownClean = shownContent(clean);
    expect(shownClean.sha256).toBe(createHash('sha256').update(clean).digest('hex'));
    expect(shownClean.redacted).toEqual([]);
    const secret = `use ${SECRETS.github}`;
    expect(shownContent(secret).sha256).toBeNull();
    expect(shownContent(secret).redacted).toEqual(['GitHub token']);
  });

  it('events without invocation content are shown unchanged (the same object)', () => {
    const e = capture('{"inputs":"hi"}', '{}');
    expect(publicEvent(e)).not.toBe(e);
    const plain = { ...e, source: 'cloudtrail' as const, sources: undefined };
    expect(publicEvent(plain)).toBe(plain);
  });
});
