/**
 * A 64-bit fingerprint of a record id (two FNV-1a 32-bit hashes), so a checkpoint can remember a whole
 * page of ids in a few bytes each. Not a secret and not a signature: only "was this id on that page".
 */
export function idHash(id: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 13);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}
