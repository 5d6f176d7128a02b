/**
 * The sandbox's only source of randomness: a seeded mulberry32 generator. Every random decision of the
 * sandbox (data, faults, tokens, trace ids, shuffles) draws from a `Random` derived from the sandbox seed,
 * so a seed plus a request sequence replays byte for byte.
 */
export class Random {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /**
   * An independent stream for one purpose. Deriving by label (not by drawing from this stream) keeps each
   * purpose stable when another one draws more or less, e.g. when datasets are generated lazily in any order.
   */
  static derive(seed: number, label: string): Random {
    let h = (seed ^ 0x9e3779b9) >>> 0;
    for (let i = 0; i < label.length; i++) {
      h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
    }
    return new Random(h);
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(probability: number): boolean {
    return probability > 0 && this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new RangeError('Failed to pick from an empty list.');
    return item;
  }

  /** A random subset of at least one element, in the list's order. */
  subset<T>(items: readonly T[]): T[] {
    const chosen = items.filter(() => this.next() < 0.5);
    return chosen.length > 0 ? chosen : [this.pick(items)];
  }

  /** Eight hex digits per draw: ids are long and datasets large, and generation must stay fast. */
  hex(length: number): string {
    let out = '';
    while (out.length < length) {
      const bits = Math.floor(this.next() * 4294967296);
      out += `${BYTE_HEX[bits >>> 24]}${BYTE_HEX[(bits >>> 16) & 255]}${BYTE_HEX[(bits >>> 8) & 255]}${BYTE_HEX[bits & 255]}`;
    }
    return out.length === length ? out : out.slice(0, length);
  }

  /** Five characters per draw (62^5 < 2^32). */
  alphanumeric(length: number): string {
    let out = '';
    while (out.length < length) {
      let bits = Math.floor(this.next() * 916_132_832);
      for (let i = 0; i < 5; i++) {
        out += ALPHANUMERIC[bits % 62];
        bits = Math.floor(bits / 62);
      }
    }
    return out.length === length ? out : out.slice(0, length);
  }

  /** RFC 4122 version-4 layout, from this stream (Falcon trace ids look like this). */
  uuid(): string {
    const variant = '89ab'[this.int(4)] ?? '8';
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${variant}${this.hex(3)}-${this.hex(12)}`;
  }

  /** Fisher-Yates on a copy. */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const a = out[i] as T;
      out[i] = out[j] as T;
      out[j] = a;
    }
    return out;
  }
}

const BYTE_HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
