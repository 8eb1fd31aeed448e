// What the recorder and the replay server agree on: how a request is keyed (service, region, action and
// request body, with the member account id templated) and how a synthetic account is named.
import type { IncomingHttpHeaders } from 'node:http';

export const ACCOUNT_SLOT = '{{ACCOUNT}}';

export interface RecordedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface Recording {
  managementAccountId: string;
  organizationId: string;
  /** Template member account ids (already replaced by ACCOUNT_SLOT in keys and bodies). */
  templates: number;
  regions: string[];
  /** Per template index: key -> response. */
  members: Record<string, RecordedResponse>[];
  /** Calls made with the management account's own credentials. */
  management: Record<string, RecordedResponse>;
  /** One Account entry of ListAccounts, as a template. */
  accountTemplate: Record<string, unknown>;
}

/** Synthetic member n (0-based): a 12-digit id that cannot collide with moto's random ids in practice. */
export const syntheticAccountId = (n: number): string => String(200_000_000_000 + n);

/** 20-character temporary key that names its account, so the server needs no session state. */
export const accessKeyFor = (accountId: string): string => `ASIA${accountId}REPL`;
export const accountOfAccessKey = (key: string): string | null => /^ASIA(\d{12})REPL$/.exec(key)?.[1] ?? null;

export function signingScope(headers: IncomingHttpHeaders): { accessKey: string; region: string; service: string } {
  const m = /Credential=([^/]+)\/\d+\/([^/]+)\/([^/]+)\//.exec(String(headers.authorization ?? ''));
  return { accessKey: m?.[1] ?? '', region: m?.[2] ?? 'us-east-1', service: m?.[3] ?? 'unknown' };
}

/** The replay key of a request, with `account` (when given) replaced by the slot. */
export function requestKey(method: string, url: string, headers: IncomingHttpHeaders, body: string, account: string | null): string {
  const { region, service } = signingScope(headers);
  const target = String(headers['x-amz-target'] ?? '');
  const raw = `${service}|${region}|${method}|${url}|${target}|${body}`;
  return account ? raw.split(account).join(ACCOUNT_SLOT) : raw;
}
