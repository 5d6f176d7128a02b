import { envelopeSchema, type Envelope } from '../../functions/falcon/envelope.ts';
import { FalconSandbox, type SandboxClock, type SandboxOptions, type SandboxResponse } from '../../sandbox/FalconSandbox.ts';

/** Test helpers: a virtual clock, a small sandbox, and one-line calls. Not a test file (no `.test.ts`). */

export const EPOCH_MS = Date.parse('2026-12-01T00:00:00.000Z');
export const BASE_URL = 'http://127.0.0.1:8787';

export const SMALL_SIZES = { alerts: 600, iocs: 500, intel: 700, hosts: 400, vulnerabilities: 500 } as const;

export class VirtualClock implements SandboxClock {
  constructor(public now: number = EPOCH_MS) {}

  nowMs(): number {
    return this.now;
  }

  advance(ms: number): void {
    this.now += ms;
  }
}

export interface Harness {
  sandbox: FalconSandbox;
  clock: VirtualClock;
}

export function createHarness(options: SandboxOptions = {}): Harness {
  const clock = new VirtualClock();
  const sandbox = new FalconSandbox({ clock, sizes: SMALL_SIZES, ...options });
  return { sandbox, clock };
}

export type HttpAnswer = Extract<SandboxResponse, { kind: 'http' }>;

export function asHttp(response: SandboxResponse): HttpAnswer {
  if (response.kind !== 'http') throw new Error(`expected an HTTP answer, got ${response.kind}`);
  return response;
}

export function tokenRequestBody(sandbox: FalconSandbox): string {
  return new URLSearchParams({ client_id: sandbox.credentials.clientId, client_secret: sandbox.credentials.clientSecret }).toString();
}

export function issueToken(sandbox: FalconSandbox): string {
  const answer = asHttp(sandbox.handle({ method: 'POST', url: `${BASE_URL}/oauth2/token`, headers: {}, body: tokenRequestBody(sandbox) }));
  if (answer.status !== 201) throw new Error(`token request answered ${answer.status}`);
  return (JSON.parse(answer.body) as { access_token: string }).access_token;
}

export function get(sandbox: FalconSandbox, token: string | null, path: string, params: Record<string, string | number> = {}): SandboxResponse {
  const query = new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString();
  return sandbox.handle({
    method: 'GET',
    url: `${BASE_URL}${path}${query === '' ? '' : `?${query}`}`,
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
  });
}

export function post(sandbox: FalconSandbox, token: string | null, path: string, body: unknown): SandboxResponse {
  return sandbox.handle({
    method: 'POST',
    url: `${BASE_URL}${path}`,
    headers: { 'Content-Type': 'application/json', ...(token === null ? {} : { Authorization: `Bearer ${token}` }) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Parses a JSON answer with the engine's own envelope schema, so the sandbox is checked against it too. */
export function envelopeOf(response: SandboxResponse): Envelope {
  return envelopeSchema.parse(JSON.parse(asHttp(response).body));
}

export function idsOf(envelope: Envelope, idField: string): string[] {
  return (envelope.resources ?? []).map((r) => (typeof r === 'string' ? r : String(r[idField])));
}
