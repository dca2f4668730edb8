/**
 * MD4 (RFC 1320), for the NT hash of a test password (MD4 of its UTF-16LE bytes): Samba's
 * smbpasswd holds it, and Node's OpenSSL 3 no longer offers MD4.
 */
export function md4(data: Uint8Array): Uint8Array {
  const bitLen = data.length * 8;
  const padded = new Uint8Array(((data.length + 8) >> 6) * 64 + 64);
  padded.set(data);
  padded[data.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, bitLen >>> 0, true);
  view.setUint32(padded.length - 4, Math.floor(bitLen / 2 ** 32), true);
  let [a, b, c, d] = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
  const rotl = (x: number, n: number): number => (x << n) | (x >>> (32 - n));
  const F = (x: number, y: number, z: number): number => (x & y) | (~x & z);
  const G = (x: number, y: number, z: number): number => (x & y) | (x & z) | (y & z);
  const H = (x: number, y: number, z: number): number => x ^ y ^ z;
  for (let off = 0; off < padded.length; off += 64) {
    const X = Array.from({ length: 16 }, (_, i) => view.getUint32(off + i * 4, true));
    const [aa, bb, cc, dd] = [a, b, c, d];
    const round = (f: (x: number, y: number, z: number) => number, k: number, order: number[], shifts: number[]): void => {
      for (let i = 0; i < 16; i++) {
        const s = shifts[i % 4]!;
        const t = (a + f(b, c, d) + X[order[i]!]! + k) | 0;
        [a, b, c, d] = [d, rotl(t, s), b, c];
      }
    };
    round(F, 0, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], [3, 7, 11, 19]);
    round(G, 0x5a827999, [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15], [3, 5, 9, 13]);
    round(H, 0x6ed9eba1, [0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15], [3, 9, 11, 15]);
    [a, b, c, d] = [(a + aa) | 0, (b + bb) | 0, (c + cc) | 0, (d + dd) | 0];
  }
  const out = new Uint8Array(16);
  const ov = new DataView(out.buffer);
  [a, b, c, d].forEach((v, i) => ov.setUint32(i * 4, v >>> 0, true));
  return out;
}

/** The NT hash of a password, as smbpasswd holds it (32 upper-case hex digits). */
export function ntHash(password: string): string {
  return Buffer.from(md4(Buffer.from(password, 'utf16le'))).toString('hex').toUpperCase();
}
