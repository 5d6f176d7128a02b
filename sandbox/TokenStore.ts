import type { Random } from './random.ts';

export interface IssuedToken {
  token: string;
  clientId: string;
  /** CID the token acts for: the member CID when an MSSP parent asked for one. */
  cid: string;
  issuedMs: number;
  /** When the sandbox stops accepting it (the `expires_in` it announced may say otherwise). */
  deadMs: number;
}

/** Bearer tokens the sandbox issued, with their server-side lifetime and revocation. */
export class TokenStore {
  readonly #tokens = new Map<string, IssuedToken>();
  readonly #everIssued: string[] = [];

  constructor(readonly random: Random) {}

  issue(clientId: string, cid: string, nowMs: number, lifetimeMs: number): IssuedToken {
    // JWT-shaped, long and unique, so a leak scan can find it anywhere in output.
    const token = `eyJ${this.random.alphanumeric(33)}.eyJ${this.random.alphanumeric(117)}.${this.random.alphanumeric(43)}`;
    const issued: IssuedToken = { token, clientId, cid, issuedMs: nowMs, deadMs: nowMs + lifetimeMs };
    this.#tokens.set(token, issued);
    this.#everIssued.push(token);
    return issued;
  }

  /** The live token, or null when unknown, revoked or past its lifetime. */
  validate(token: string, nowMs: number): IssuedToken | null {
    const issued = this.#tokens.get(token);
    if (issued === undefined || nowMs >= issued.deadMs) return null;
    return issued;
  }

  revoke(token: string): boolean {
    return this.#tokens.delete(token);
  }

  everIssued(): string[] {
    return [...this.#everIssued];
  }
}
