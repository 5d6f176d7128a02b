export type AdmitResult = { admitted: true; remaining: number } | { admitted: false; retryAtMs: number };

const WINDOW_MS = 60_000;

/**
 * Falcon counts requests on a sliding 60 s window per key (CID, or IP for the unauthenticated and token
 * buckets). Only admitted requests are counted, so a client that waits as told gets through.
 */
export class SlidingWindowLimiter {
  readonly #windows = new Map<string, number[]>();

  constructor(readonly limit: number) {}

  admit(key: string, nowMs: number): AdmitResult {
    let window = this.#windows.get(key);
    if (window === undefined) {
      window = [];
      this.#windows.set(key, window);
    }
    let expired = 0;
    while (expired < window.length && (window[expired] as number) <= nowMs - WINDOW_MS) expired++;
    if (expired > 0) window.splice(0, expired);
    if (window.length >= this.limit) {
      return { admitted: false, retryAtMs: (window[0] as number) + WINDOW_MS };
    }
    window.push(nowMs);
    return { admitted: true, remaining: this.limit - window.length };
  }
}
