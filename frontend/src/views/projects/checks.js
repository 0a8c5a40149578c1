// The checks of the project forms' inputs, as the server makes them
// (package project): amounts in 万元 with at most two decimals up to the
// server's limit, and the progress note's length in characters.
import { t } from '../../i18n.js';

const amount = /^\d+(\.\d{1,2})?$/;

/** hundredths is an amount as a whole number of hundredths (exact). */
function hundredths(s) {
  const [units, frac = ''] = s.split('.');
  return BigInt(units) * 100n + BigInt(frac.padEnd(2, '0') || '0');
}

/** amountError says what is wrong with the amount v of the field named
 * name, given the server's limit (e.g. '100000000.00'); '' if nothing. */
export function amountError(v, name, limit) {
  const s = String(v ?? '').trim();
  if (!amount.test(s)) return t('amountBad', { f: name });
  if (limit && hundredths(s) > hundredths(limit)) {
    const max = new Intl.NumberFormat('en-US').format(hundredths(limit) / 100n);
    return t('amountMax', { f: name, max });
  }
  return '';
}

/** noteLength counts a text's characters as the server does (code
 * points: an emoji is one). */
export function noteLength(s) {
  return [...String(s ?? '')].length;
}
