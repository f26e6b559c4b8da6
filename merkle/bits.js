// @ts-check
// Integer helpers for tree sizes and leaf indices. A log can outgrow the 32 bits that
// JavaScript's bitwise operators see, so these use exact arithmetic on safe integers
// (dividing by a power of two is exact in floating point).

/**
 * Whether `n` can be a tree size or a leaf index: a non-negative safe integer.
 * @param {unknown} n
 * @returns {n is number}
 */
export function isCount(n) {
  return typeof n === "number" && Number.isSafeInteger(n) && n >= 0;
}

/**
 * `n >> k` without the 32-bit limit.
 * @param {number} n
 * @param {number} k
 * @returns {number}
 */
export function shiftRight(n, k) {
  return Math.floor(n / 2 ** k);
}

/**
 * Bit `k` of `n` (0 or 1).
 * @param {number} n
 * @param {number} k
 * @returns {number}
 */
export function bitAt(n, k) {
  return shiftRight(n, k) % 2;
}

/**
 * Number of set bits in `n`.
 * @param {number} n
 * @returns {number}
 */
export function onesCount(n) {
  let count = 0;
  for (let rest = n; rest > 0; rest = Math.floor(rest / 2)) count += rest % 2;
  return count;
}

/**
 * Number of trailing zero bits of `n` (which must be positive).
 * @param {number} n
 * @returns {number}
 */
export function trailingZeros(n) {
  let count = 0;
  for (let rest = n; rest % 2 === 0; rest /= 2) count++;
  return count;
}

/**
 * Number of bits needed to write non-negative `n` in binary (0 for 0).
 * @param {number} n
 * @returns {number}
 */
export function bitLength(n) {
  return differingBitLength(n, 0);
}

/**
 * Bit length of `a XOR b` for non-negative `a` and `b`: how many levels up the paths to
 * leaves `a` and `b` meet.
 * @param {number} a
 * @param {number} b
 * @returns {number}
 */
export function differingBitLength(a, b) {
  let length = 0;
  for (let x = a, y = b; x !== y; x = Math.floor(x / 2), y = Math.floor(y / 2)) length++;
  return length;
}
