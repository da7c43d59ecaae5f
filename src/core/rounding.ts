/**
 * Numbers people read are rounded once, here: scores and averages to two decimals, amounts to
 * their currency's minor unit. Rounding shifts the decimal point in the text (`1.005e2`), not by
 * multiplying, so 1.005 rounds to 1.01 and not to 1.00; halves round away from zero.
 */
export function roundTo(value: number | string, digits: number): number {
  const n = Number(value);
  if (!Number.isFinite(n)) return n;
  const shift = (x: number, by: number) => {
    const [mantissa, exponent = '0'] = String(x).split('e');
    return Number(`${mantissa}e${Number(exponent) + by}`);
  };
  return Math.sign(n) * shift(Math.round(shift(Math.abs(n), digits)), -digits) || 0;
}

/** Decimal places of an ISO 4217 currency's minor unit (EUR 2, JPY 0, BHD 3); 2 when unknown. */
export function minorDigits(currency: unknown): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency: String(currency) }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}
