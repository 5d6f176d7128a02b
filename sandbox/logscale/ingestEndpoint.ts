import { INGEST_PATH } from '../../functions/engine/sink/ingestRecords.ts';
import type { SandboxRequest, SandboxResponse } from '../exchange.ts';
import type { FaultKnobs } from '../profiles.ts';
import { envelopeReply, errorReply, type ReplyContext } from '../replies.ts';
import type { IngestBatch } from './LogScaleStore.ts';
import { parseIngestData } from './parseIngestData.ts';
import { parseMultipart } from './parseMultipart.ts';
import { readIngestForm } from './readIngestForm.ts';


/** UNVERIFIED: the `meta.powered_by` of the real endpoint. */
export const INGEST_POWERED_BY = 'logscale-ingest';

/**
 * Where events go when the call names no app. Real Foundry fills X-CS-APP-ID in from the function's
 * context; run locally, the sample apps send it themselves, and a call without it still lands somewhere.
 */
export const DEFAULT_REPOSITORY = 'default';

/** Error texts of the ingest endpoint; all UNVERIFIED (no recorded real answer). */
export const INGEST_MESSAGES = {
  tooLarge: (bytes: number, maxBytes: number): string => `request entity too large: the body is ${bytes} bytes, the limit is ${maxBytes}`,
} as const;

export type IngestCall =
  | { kind: 'accepted'; repository: string; batch: IngestBatch; signature: string }
  | { kind: 'refused'; response: SandboxResponse };

/**
 * Reads one ingest call: the size limit (413), then the multipart form and its JSON data (400 naming the
 * problem). Authentication, the rate limit and injected faults are the caller's (FalconSandbox) job.
 */
export function readIngestCall(
  request: SandboxRequest,
  headers: Map<string, string>,
  reply: ReplyContext,
  knobs: Pick<FaultKnobs, 'ingestMaxBodyBytes' | 'ingestBatchForms'>,
): IngestCall {
  const body = request.body ?? '';
  const bytes = Buffer.byteLength(body, 'utf8');
  if (bytes > knobs.ingestMaxBodyBytes) {
    // UNVERIFIED: the real limit, and whether nginx answers its HTML 413 page before the service sees the body.
    return refused(errorReply(reply, 413, INGEST_POWERED_BY, INGEST_MESSAGES.tooLarge(bytes, knobs.ingestMaxBodyBytes)));
  }
  const multipart = parseMultipart(headers.get('content-type'), body);
  if (multipart.kind === 'malformed') return refused(errorReply(reply, 400, INGEST_POWERED_BY, multipart.message));
  const form = readIngestForm(multipart.parts);
  if (form.kind === 'invalid') return refused(errorReply(reply, 400, INGEST_POWERED_BY, form.message));
  const data = parseIngestData(form.form.dataField, form.form.data, knobs.ingestBatchForms);
  if (data.kind === 'invalid') return refused(errorReply(reply, 400, INGEST_POWERED_BY, data.message));

  const appId = headers.get('x-cs-app-id')?.trim() ?? '';
  const repository = appId === '' ? DEFAULT_REPOSITORY : appId;
  const { tags, tagSource, testData } = form.form;
  // The signature that caps consecutive faults is the call's content, not its bytes: clients draw a fresh
  // multipart boundary for every attempt, so the bytes of a retry never match the first attempt's.
  const signature = JSON.stringify([INGEST_PATH, repository, multipart.parts.map((p) => [p.name, p.value])]);
  return { kind: 'accepted', repository, batch: { events: data.events, tags, tagSource, testData }, signature };
}

/**
 * The answer to a stored call. UNVERIFIED: the real envelope; this is the usual Falcon one with no
 * resources, which is all a client may rely on until a real answer is recorded.
 */
export function ingestedReply(reply: ReplyContext): SandboxResponse {
  return envelopeReply(reply, 200, { poweredBy: INGEST_POWERED_BY, resources: [] });
}

function refused(response: SandboxResponse): IngestCall {
  return { kind: 'refused', response };
}
