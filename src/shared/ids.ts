import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case

function encodeTime(ms: number): string {
  let out = '';
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[ms % 32] + out;
    ms = Math.floor(ms / 32);
  }
  return out;
}

function encodeRandom(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += ALPHABET[byte % 32];
  return out;
}

export type IdPrefix =
  'loc' | 'lgr' | 'chn' | 'res' | 'adj' | 'key' | 'ord' | 'fo' | 'shp' | 'rma' | 'pay' | 'inv' | 'whs' | 'sub' | 'crv';

/** Prefixed, time-ordered opaque IDs (`res_01hx…`): sortable, so cursors follow creation order. */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${encodeTime(Date.now())}${encodeRandom(14)}`;
}
