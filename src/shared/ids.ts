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

/** Random bytes drawn from a pool filled in bulk: one call to the CSPRNG per many IDs, not one per ID. */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let poolOffset = 0;

function encodeRandom(length: number): string {
  if (poolOffset + length > pool.length) {
    pool = randomBytes(POOL_BYTES);
    poolOffset = 0;
  }
  let out = '';
  for (let i = poolOffset; i < poolOffset + length; i++) out += ALPHABET[pool[i]! % 32];
  poolOffset += length;
  return out;
}

type IdPrefix =
  | 'loc'
  | 'sim'
  | 'oset'
  | 'sho'
  | 'lgr'
  | 'chn'
  | 'res'
  | 'adj'
  | 'key'
  | 'ord'
  | 'fo'
  | 'shp'
  | 'rma'
  | 'pay'
  | 'inv'
  | 'whs'
  | 'sub'
  | 'sup'
  | 'crv'
  | 'cev'
  | 'ins'
  | 'chg'
  | 'frr'
  | 'rec'
  | 'txr'
  | 'txd'
  | 'ntf'
  | 'aut'
  | 'kit'
  | 'tsk'
  | 'usr';

/** Prefixed, time-ordered opaque IDs (`res_01hx…`): sortable, so cursors follow creation order. */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${encodeTime(Date.now())}${encodeRandom(14)}`;
}
