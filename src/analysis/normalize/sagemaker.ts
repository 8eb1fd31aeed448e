// SageMaker endpoint container logs (CloudWatch Logs events) and data-capture JSONL records -> TimelineEvent.
import { redact } from '../../model/secrets.js';
import { eventOf, fail, field, obj, str, toIso, type Normalised, type RecordContext } from './common.js';

/** Secrets are removed before the cut, so the excerpt cannot hold half of one. */
const excerpt = (v: unknown, max: number): string | null => {
  if (v === undefined || v === null) return null;
  const s = redact(typeof v === 'string' ? v : JSON.stringify(v)).text;
  return s.length > max ? `${s.slice(0, max)}…` : s;
};

export function fromEndpointLogEvent(event: unknown, ctx: RecordContext & { logGroup: string | null }): Normalised {
  const e = obj(event);
  if (!e) return fail('not a JSON object');
  const time = typeof e.timestamp === 'number' ? toIso(new Date(e.timestamp)) : null;
  if (!time) return fail('no timestamp');
  const endpoint = ctx.logGroup?.match(/^\/aws\/sagemaker\/Endpoints\/(.+)$/)?.[1] ?? ctx.logGroup;
  return eventOf(ctx, {
    time,
    source: 'sagemaker-endpoint-log',
    service: 'sagemaker.amazonaws.com',
    action: 'EndpointLog',
    target: endpoint ?? null,
    outcome: 'success',
    // Container logs may print prompts.
    detail: { logStream: e.logStreamName ?? null, message: excerpt(e.message, 500) },
  });
}

export function fromDataCapture(record: unknown, ctx: RecordContext & { key: string | null }): Normalised {
  const r = obj(record);
  const meta = obj(field(r, 'eventMetadata'));
  if (!r || !meta) return fail('not a data-capture record (no eventMetadata)');
  const ts = str(field(meta, 'inferenceTime'));
  const time = ts ? toIso(new Date(ts)) : null;
  if (!time) return fail('unreadable inferenceTime');
  const m = ctx.key ? /(?:^|\/)([^/]+)\/([^/]+)\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/[^/]+$/.exec(ctx.key) : null;
  const capture = obj(field(r, 'captureData'));
  const inferenceId = str(field(meta, 'inferenceId'));
  return eventOf(ctx, {
    time,
    source: 'sagemaker-data-capture',
    service: 'sagemaker.amazonaws.com',
    action: 'InvokeEndpoint',
    target: m ? `${m[1]}/${m[2]}` : null,
    outcome: 'success',
    detail: {
      eventId: field(meta, 'eventId') ?? null,
      inferenceId,
      captureData: capture ?? null,
    },
  });
}
