/**
 * A count with thousands separators: 1234567 → "1,234,567". Our own, not
 * `toLocaleString`: the first `Intl` call in WebKitGTK loads ICU data, and the
 * toolbar's count is on the first frame.
 */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const sign = n < 0 ? "-" : "";
  const digits = String(Math.round(Math.abs(n)));
  let out = "";
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ",";
    out += digits[i];
  }
  return sign + out;
}
