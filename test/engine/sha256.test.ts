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

// Published vectors, independent of node:crypto: the examples of FIPS 180-4 (NIST's SHA-256 example
// computations) and the HMAC-SHA-256 test cases of RFC 4231, section 4.
describe('published vectors', () => {
  const ascii = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'latin1'));
  const fromHex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'hex'));

  it.each([
    ['abc (one block)', ascii('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['the 448-bit message (two blocks)', ascii('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'), '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
    ['the empty message', ascii(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['one million a', ascii('a'.repeat(1_000_000)), 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0'],
  ])('SHA-256 of %s (FIPS 180-4)', (_label, message, digest) => {
    expect(hex(sha256(message))).toBe(digest);
  });

  it.each([
    ['1', fromHex('0b'.repeat(20)), ascii('Hi There'), 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7'],
    ['2', ascii('Jefe'), ascii('what do ya want for nothing?'), '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843'],
    ['3', fromHex('aa'.repeat(20)), fromHex('dd'.repeat(50)), '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe'],
    ['4', fromHex('0102030405060708090a0b0c0d0e0f10111213141516171819'), fromHex('cd'.repeat(50)), '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b'],
    ['6 (a 131-byte key, hashed first)', fromHex('aa'.repeat(131)), ascii('Test Using Larger Than Block-Size Key - Hash Key First'), '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54'],
    [
      '7 (a 131-byte key and a long message)',
      fromHex('aa'.repeat(131)),
      ascii('This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.'),
      '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
    ],
  ])('HMAC-SHA-256 test case %s (RFC 4231)', (_label, key, message, mac) => {
    expect(hex(hmacSha256(key, message))).toBe(mac);
  });

  it('HMAC-SHA-256 test case 5 (RFC 4231): the first 128 bits', () => {
    expect(hex(hmacSha256(fromHex('0c'.repeat(20)), ascii('Test With Truncation'))).slice(0, 32)).toBe('a3b6167473100ee06e0c796c2955552b');
  });
});
