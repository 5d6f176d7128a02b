import { header, originOf } from '../falcon/readResponse.ts';
import { firstErrorMessage, tokenResponseSchema } from '../falcon/envelope.ts';
import { baseUrlForRegion, FALCON_CLOUDS } from '../falcon/regions.ts';
import type { Clock, Sleep, Transport } from './Transport.ts';

export interface Credentials {
  clientId: string;
  clientSecret: string;
  memberCid?: string;
}

export type AuthErrorCode = 'AUTH_REJECTED' | 'AUTH_UNAVAILABLE' | 'AUTH_REDIRECT_LOOP' | 'AUTH_REDIRECT_REFUSED' | 'AUTH_BAD_ANSWER';

export class AuthError extends Error {
  override readonly name = 'AuthError';
  constructor(
    readonly code: AuthErrorCode,
    message: string,
    readonly context: Record<string, string | number> = {},
  ) {
    super(message);
  }
}

/** Renew this long before `expires_in` runs out (falconpy renews at 120 s, psfalcon at 240 s). */
const RENEW_MARGIN_MS = 180_000;
/** A token request that meets a reset, a 5xx or a 429 is tried this many times more, after 1, 2 and 4 s. */
const TOKEN_RETRIES = 3;
const TOKEN_BACKOFF_MS = 1_000;

/** The token endpoint failed (a reset, a 5xx, a 429), not the credentials: worth another try. */
function retryableAuthError(error: unknown): boolean {
  if (!(error instanceof AuthError) || error.code !== 'AUTH_UNAVAILABLE') return false;
  const status = error.context['status'];
  return typeof status !== 'number' || status >= 500 || status === 429;
}

/**
 * OAuth2 client credentials against `/oauth2/token`. The only request that follows a redirect: a 308
 * to the client's own cloud, after which every call goes to that cloud. Secrets and tokens never
 * appear in an error message.
 */
export class FalconAuth {
  #token: { value: string; expiresAtMs: number } | null = null;
  #baseUrl: string;
  #inFlight: Promise<string> | null = null;
  /** Where a token request may be redirected (and the secret posted again): the Falcon clouds over https, or the configured origin. */
  readonly #redirectTargets: ReadonlySet<string>;

  constructor(
    private readonly options: { transport: Transport; clock: Clock; credentials: Credentials; baseUrl: string; sleep?: Sleep },
  ) {
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#redirectTargets = new Set([...Object.values(FALCON_CLOUDS), originOf(this.#baseUrl) ?? this.#baseUrl]);
  }

  /** The API origin, which a 308 on the token request may have moved to another cloud. */
  get baseUrl(): string {
    return this.#baseUrl;
  }

  async bearer(): Promise<string> {
    if (this.#token && this.options.clock.nowMs() < this.#token.expiresAtMs - RENEW_MARGIN_MS) return this.#token.value;
    return this.#fetchOnce();
  }

  /** `retryable`: the token endpoint failed (network, 5xx, 429), not the credentials. */
  async refresh(): Promise<{ ok: true } | { ok: false; retryable: boolean; message: string }> {
    this.#token = null;
    try {
      await this.#fetchOnce();
      return { ok: true };
    } catch (error) {
      const retryable = error instanceof AuthError && error.code === 'AUTH_UNAVAILABLE';
      return { ok: false, retryable, message: error instanceof Error ? error.message : String(error) };
    }
  }

  async revoke(): Promise<void> {
    const token = this.#token;
    if (!token) return;
    this.#token = null;
    const { clientId, clientSecret } = this.options.credentials;
    await this.options.transport({
      method: 'POST',
      url: `${this.#baseUrl}/oauth2/revoke`,
      headers: {
        Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
      },
      body: new URLSearchParams({ token: token.value, client_id: clientId }).toString(),
      timeoutMs: 10_000,
    });
  }

  // One refresh at a time: concurrent callers share it instead of storming /oauth2/token (beats#49453).
  #fetchOnce(): Promise<string> {
    this.#inFlight ??= this.#fetch().finally(() => {
      this.#inFlight = null;
    });
    return this.#inFlight;
  }

  /** The token request, with the same bounded retries as API calls when the endpoint (not the credentials) fails. */
  async #fetch(): Promise<string> {
    const sleep = this.options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#fetchOnceWithRedirects();
      } catch (error) {
        if (!retryableAuthError(error) || attempt >= TOKEN_RETRIES) throw error;
        await sleep(TOKEN_BACKOFF_MS * 2 ** attempt);
      }
    }
  }

  async #fetchOnceWithRedirects(): Promise<string> {
    const { clientId, clientSecret, memberCid } = this.options.credentials;
    const form = new URLSearchParams({ client_id: clientId, client_secret: clientSecret });
    if (memberCid) form.set('member_cid', memberCid);
    for (let redirects = 0; redirects < 3; redirects++) {
      const answer = await this.options.transport({
        method: 'POST',
        url: `${this.#baseUrl}/oauth2/token`,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: form.toString(),
        timeoutMs: 30_000,
      });
      if (answer.kind === 'error') {
        throw new AuthError('AUTH_UNAVAILABLE', `The token request to ${this.#baseUrl} failed (${answer.code}): ${answer.message}.`);
      }
      if (answer.status === 308 || answer.status === 301 || answer.status === 302 || answer.status === 307) {
        const location = header(answer.headers, 'location');
        const region = header(answer.headers, 'x-cs-region');
        const target = location ? originOf(location) : region ? baseUrlForRegion(region) : null;
        if (!target) {
          throw new AuthError('AUTH_BAD_ANSWER', `The token request was redirected (${answer.status}) without a usable Location or X-Cs-Region.`);
        }
        // The client secret is posted again to the target: only to a Falcon cloud, or back to the origin we were given.
        if (!this.#redirectTargets.has(target)) {
          throw new AuthError('AUTH_REDIRECT_REFUSED', `The token request was redirected (${answer.status}) to ${target}, which is not a Falcon cloud; the client secret was not sent there. Check FALCON_CLOUD or --base-url.`, { status: answer.status });
        }
        this.#baseUrl = target;
        continue;
      }
      if (answer.status === 201 || answer.status === 200) {
        let json: unknown;
        try {
          json = JSON.parse(answer.body);
        } catch {
          json = undefined;
        }
        const parsed = tokenResponseSchema.safeParse(json);
        if (!parsed.success) throw new AuthError('AUTH_BAD_ANSWER', `The token answer (HTTP ${answer.status}) is not a token.`);
        this.#token = { value: parsed.data.access_token, expiresAtMs: this.options.clock.nowMs() + parsed.data.expires_in * 1000 };
        return parsed.data.access_token;
      }
      const message = firstErrorMessage(answer.body) ?? 'no message';
      if (answer.status === 403 || answer.status === 400 || answer.status === 401) {
        throw new AuthError(
          'AUTH_REJECTED',
          `Falcon refused the API client credentials (HTTP ${answer.status}: ${message}). Check FALCON_CLIENT_ID, FALCON_CLIENT_SECRET and the cloud.`,
          { status: answer.status },
        );
      }
      throw new AuthError('AUTH_UNAVAILABLE', `The token request answered HTTP ${answer.status}: ${message}.`, { status: answer.status });
    }
    throw new AuthError('AUTH_REDIRECT_LOOP', 'The token request was redirected three times; check the cloud setting.');
  }
}

