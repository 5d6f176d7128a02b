import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hmacSha256, sha256, sha256Hex } from '../../functions/engine/sha256.ts';

// node:crypto is the reference for the hand-written SHA-256 the engine carries for QuickJS (no node:crypto there).

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const nodeSha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const nodeHmac = (key: Uint8Array, message: Uint8Array): string => createHmac('sha256', key).update(message).digest('hex');
const bytesOf = (length: number, seed = 1): Uint8Array => Uint8Array.from({ length }, (_, i) => (i * 31 + seed * 17) & 0xff);

describe('sha256', () => {
  // 55 is the last length that pads into one block, 56 needs two; 63/64/65 straddle a full block.
  const boundaryLengths = [0, 1, 54, 55, 56, 57, 63, 64, 65, 111, 119, 120, 127, 128, 129];

  it.each(boundaryLengths)('matches node:crypto for a %i-byte message', (length) => {
    const message = bytesOf(length);
    expect(hex(sha256(message))).toBe(nodeSha(message));
  });

  it('matches node:crypto on every length from 0 to 300', () => {
    for (let length = 0; length <= 300; length++) {
      const message = bytesOf(length, length);
      expect(hex(sha256(message)), `length ${length}`).toBe(nodeSha(message));
    }
  });

  it('matches node:crypto on generated messages', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1000 }), (message) => {
        expect(hex(sha256(message))).toBe(nodeSha(message));
      }),
      { numRuns: 300 },
    );
  });

  it('matches node:crypto on a 1 MiB message (many blocks, bit length above 2^16)', () => {
    const message = bytesOf(1 << 20, 3);
    expect(hex(sha256(message))).toBe(nodeSha(message));
  });

  it('does not modify its input', () => {
    const message = bytesOf(70);
    const copy = Uint8Array.from(message);
    sha256(message);
    expect(message).toEqual(copy);
  });
});

describe('sha256Hex', () => {
  it.each(['', 'abc', 'alerts\nstatus:\'new\'', 'naïve ☃ 😀', 'x'.repeat(64)])('hashes the UTF-8 of %j like node:crypto', (text) => {
    expect(sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
  });

  it('hashes generated Unicode text like node:crypto', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 150 }), (text) => {
        expect(sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
      }),
      { numRuns: 300 },
    );
  });
});

describe('hmacSha256', () => {
  // Keys longer than the 64-byte block are hashed first; shorter ones are zero-padded.
  const keyLengths = [0, 1, 32, 63, 64, 65, 100, 200, 1000];

  it.each(keyLengths)('matches node:crypto with a %i-byte key', (keyLength) => {
    const key = bytesOf(keyLength, 9);
    for (const messageLength of [0, 1, 55, 56, 64, 65, 500]) {
      const message = bytesOf(messageLength, 4);
      expect(hex(hmacSha256(key, message)), `message ${messageLength}`).toBe(nodeHmac(key, message));
    }
  });

  it('matches node:crypto on generated keys and messages', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ maxLength: 300 }), (key, message) => {
        expect(hex(hmacSha256(key, message))).toBe(nodeHmac(key, message));
      }),
      { numRuns: 300 },
    );
  });

  it('depends on the key', () => {
    const message = bytesOf(10);
    expect(hex(hmacSha256(bytesOf(16, 1), message))).not.toBe(hex(hmacSha256(bytesOf(16, 2), message)));
  });
});
