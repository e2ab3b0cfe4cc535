/** Base-36 text of property keys (contact.ts). */

/** A base-36 digit's character code (0-9, a-z). */
const digit36 = (d: number): number => (d < 10 ? 0x30 + d : 0x57 + d);

/**
 * `x.toString(36)` for a 32-bit unsigned integer, as one string made at once (Number's own
 * radix conversion goes through a floating-point algorithm and is several times slower).
 */
export function base36(x: number): string {
  if (x < 36) return String.fromCharCode(digit36(x));
  let d0 = x % 36;
  let n = Math.floor(x / 36);
  const d1 = n % 36;
  n = Math.floor(n / 36);
  if (n === 0) return String.fromCharCode(digit36(d1), digit36(d0));
  const d2 = n % 36;
  n = Math.floor(n / 36);
  if (n === 0) return String.fromCharCode(digit36(d2), digit36(d1), digit36(d0));
  const d3 = n % 36;
  n = Math.floor(n / 36);
  if (n === 0) return String.fromCharCode(digit36(d3), digit36(d2), digit36(d1), digit36(d0));
  const d4 = n % 36;
  n = Math.floor(n / 36);
  if (n === 0) return String.fromCharCode(digit36(d4), digit36(d3), digit36(d2), digit36(d1), digit36(d0));
  const d5 = n % 36;
  n = Math.floor(n / 36);
  d0 = digit36(d0);
  if (n === 0) return String.fromCharCode(digit36(d5), digit36(d4), digit36(d3), digit36(d2), digit36(d1), d0);
  // 36^7 > 2^32: seven digits at most.
  return String.fromCharCode(digit36(n), digit36(d5), digit36(d4), digit36(d3), digit36(d2), digit36(d1), d0);
}
