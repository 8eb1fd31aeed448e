// Bedrock model invocation log records (S3 JSONL or CloudWatch Logs messages) -> TimelineEvent. The raw input,
// output, token counts and guardrail fields are kept under detail for the content rules; the record itself is
// already bounded by the reader's record-size limit.
import { count, eventOf, fail, field, obj, str, toIso, type Normalised, type RecordContext } from './common.js';

/** Guardrail fields wherever the record carries them (top level, input, output): name -> value. */
function guardrailFields(...parts: (Record<string, unknown> | null)[]): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  for (const p of parts) if (p) for (const [k, v] of Object.entries(p)) if (/guardrail/i.test(k)) out[k] = v;
  return Object.keys(out).length ? out : null;
}

export function fromBedrockInvocation(record: unknown, ctx: RecordContext): Normalised {
  const r = obj(record);
  if (!r) return fail('not a JSON object');
  const ts = str(field(r, 'timestamp'));
  const time = ts ? toIso(new Date(ts)) : null;
  if (!time) return fail(`unreadable timestamp ${JSON.stringify(field(r, 'timestamp') ?? null)}`);
  const principal = str(field(obj(field(r, 'identity')), 'arn'));
  const input = obj(field(r, 'input'));
  const output = obj(field(r, 'output'));
  const modelId = str(field(r, 'modelId'));
  const requestId = str(field(r, 'requestId'));
  return eventOf(ctx, {
    time,
    source: 'bedrock-invocation',
    account: str(field(r, 'accountId')) ?? ctx.account,
    region: str(field(r, 'region')) ?? ctx.region,
    actor: principal,
    principal,
    service: 'bedrock.amazonaws.com',
    action: str(field(r, 'operation')) ?? 'InvokeModel',
    target: modelId,
    outcome: str(field(r, 'errorCode')) ?? 'success',
    requestId,
    detail: {
      requestId,
      modelId,
      inferenceRegion: field(r, 'inferenceRegion') ?? null,
      inputTokenCount: count(field(input, 'inputTokenCount')),
      outputTokenCount: count(field(output, 'outputTokenCount')),
      input: input ?? null,
      output: output ?? null,
      guardrail: guardrailFields(r, input, obj(field(output, 'outputBodyJson'))),
    },
  });
}
