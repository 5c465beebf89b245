import { describe, expect, it } from 'vitest';
import {
  aftershipSignature,
  easypostSignature,
  safeEqual,
  shippoSignature,
  verifyAftership,
  verifyEasypost,
  verifyShippoHmac,
  verifyShippoToken,
  verifyWebhook,
  webhookSecretsFromEnv,
  type SignedRequest,
} from './signatures.ts';

// Reference values computed independently with `openssl dgst -sha256 -hmac <secret>`.
const EASYPOST_BODY = '{"description":"tracker.updated","result":{"tracking_code":"EZ1"}}';
const EASYPOST_HEX = '132fb0cd58e9c3bf1de8a3240d2480de4cc385b2dcad65dcc7cb9a664cdd6bbc';
const AFTERSHIP_BODY = '{"event":"tracking_update","msg":{"tracking_number":"9405"}}';
const AFTERSHIP_BASE64 = 'Z59Ffhl+vykqXchbxpulojf/72DU6R+DuGQRl8skbac=';
const SHIPPO_BODY = '{"event":"track_updated"}';
const SHIPPO_HEX = '5b27cd526fb5ac70a869cd48c62650c70f01087b40a07466cc7c021ac2ba3b70';

const buffer = (text: string) => Buffer.from(text, 'utf8');

function signed(
  body: string,
  headers: Record<string, string | string[]> = {},
  query: Record<string, unknown> = {},
): SignedRequest {
  return { rawBody: buffer(body), headers, query, nowMs: 1_747_000_000_000 };
}

describe('EasyPost signatures', () => {
  it('is HMAC-SHA256 hex of the raw body, prefixed hmac-sha256-hex=', () => {
    expect(easypostSignature(EASYPOST_BODY, 'whsec_consign_test')).toBe(`hmac-sha256-hex=${EASYPOST_HEX}`);
    expect(verifyEasypost(buffer(EASYPOST_BODY), `hmac-sha256-hex=${EASYPOST_HEX}`, 'whsec_consign_test')).toBe(true);
    expect(
      verifyEasypost(buffer(EASYPOST_BODY), `HMAC-SHA256-HEX=${EASYPOST_HEX.toUpperCase()}`, 'whsec_consign_test'),
    ).toBe(true);
  });

  it('fails for another body, another secret, a bare hex digest or no header', () => {
    const header = `hmac-sha256-hex=${EASYPOST_HEX}`;
    expect(verifyEasypost(buffer(EASYPOST_BODY.replace('EZ1', 'EZ2')), header, 'whsec_consign_test')).toBe(false);
    expect(verifyEasypost(buffer(EASYPOST_BODY), header, 'whsec_other')).toBe(false);
    expect(verifyEasypost(buffer(EASYPOST_BODY), EASYPOST_HEX, 'whsec_consign_test')).toBe(false);
    expect(verifyEasypost(buffer(EASYPOST_BODY), undefined, 'whsec_consign_test')).toBe(false);
  });

  it('normalises the secret to NFKD first, as EasyPost does', () => {
    // U+FB01 (the "fi" ligature) decomposes to "fi" under NFKD
    expect(easypostSignature(EASYPOST_BODY, 'whsec_\uFB01x')).toBe(easypostSignature(EASYPOST_BODY, 'whsec_fix'));
    // U+00E9 (é) and e + U+0301 are the same secret
    expect(easypostSignature(EASYPOST_BODY, 'caf\u00e9')).toBe(easypostSignature(EASYPOST_BODY, 'cafe\u0301'));
  });
});

describe('AfterShip signatures', () => {
  it('is base64 HMAC-SHA256 of the raw body', () => {
    expect(aftershipSignature(AFTERSHIP_BODY, 'as_secret_consign')).toBe(AFTERSHIP_BASE64);
    expect(verifyAftership(buffer(AFTERSHIP_BODY), AFTERSHIP_BASE64, 'as_secret_consign')).toBe(true);
  });

  it('fails for a changed body, a hex digest or another secret', () => {
    expect(verifyAftership(buffer(`${AFTERSHIP_BODY} `), AFTERSHIP_BASE64, 'as_secret_consign')).toBe(false);
    expect(
      verifyAftership(
        buffer(AFTERSHIP_BODY),
        Buffer.from(AFTERSHIP_BASE64, 'base64').toString('hex'),
        'as_secret_consign',
      ),
    ).toBe(false);
    expect(verifyAftership(buffer(AFTERSHIP_BODY), AFTERSHIP_BASE64, 'as_other')).toBe(false);
  });
});

describe('Shippo', () => {
  it('compares the URL token exactly', () => {
    expect(verifyShippoToken('tok_123', 'tok_123')).toBe(true);
    expect(verifyShippoToken('tok_1234', 'tok_123')).toBe(false);
    expect(verifyShippoToken('TOK_123', 'tok_123')).toBe(false);
    expect(verifyShippoToken(undefined, 'tok_123')).toBe(false);
  });

  it('checks the optional HMAC header over "<t>.<body>" within five minutes', () => {
    expect(shippoSignature(SHIPPO_BODY, 'shippo_hmac_consign', 1_747_000_000)).toBe(`t=1747000000,v1=${SHIPPO_HEX}`);
    const header = `t=1747000000,v1=${SHIPPO_HEX}`;
    expect(verifyShippoHmac(buffer(SHIPPO_BODY), header, 'shippo_hmac_consign', 1_747_000_100_000)).toBe(true);
    expect(verifyShippoHmac(buffer(SHIPPO_BODY), header, 'shippo_hmac_consign', 1_747_000_400_000)).toBe(false);
    expect(
      verifyShippoHmac(
        buffer(SHIPPO_BODY),
        header.replace('t=1747000000', 't=1747000001'),
        'shippo_hmac_consign',
        1_747_000_000_000,
      ),
    ).toBe(false);
    expect(verifyShippoHmac(buffer(SHIPPO_BODY), `v1=${SHIPPO_HEX}`, 'shippo_hmac_consign', 1_747_000_000_000)).toBe(
      false,
    );
  });
});

describe('verifyWebhook', () => {
  const secrets = { easypost: 'whsec_consign_test', aftership: 'as_secret_consign', shippoToken: 'tok_123' };

  it('accepts what each service signs', () => {
    expect(
      verifyWebhook(
        'easypost',
        signed(EASYPOST_BODY, { 'x-hmac-signature': `hmac-sha256-hex=${EASYPOST_HEX}` }),
        secrets,
      ),
    ).toBeUndefined();
    expect(
      verifyWebhook('aftership', signed(AFTERSHIP_BODY, { 'aftership-hmac-sha256': AFTERSHIP_BASE64 }), secrets),
    ).toBeUndefined();
    expect(verifyWebhook('shippo', signed(SHIPPO_BODY, {}, { token: 'tok_123' }), secrets)).toBeUndefined();
  });

  it('refuses a missing, wrong or repeated signature as invalid_signature', () => {
    expect(verifyWebhook('easypost', signed(EASYPOST_BODY), secrets)?.code).toBe('invalid_signature');
    expect(
      verifyWebhook('aftership', signed(AFTERSHIP_BODY, { 'aftership-hmac-sha256': 'bm9wZQ==' }), secrets)?.code,
    ).toBe('invalid_signature');
    expect(
      verifyWebhook(
        'aftership',
        signed(AFTERSHIP_BODY, { 'aftership-hmac-sha256': [AFTERSHIP_BASE64, AFTERSHIP_BASE64] }),
        secrets,
      )?.code,
    ).toBe('invalid_signature');
    expect(verifyWebhook('shippo', signed(SHIPPO_BODY, {}, { token: 'tok_999' }), secrets)?.code).toBe(
      'invalid_signature',
    );
    expect(verifyWebhook('shippo', signed(SHIPPO_BODY, {}, { token: ['tok_123'] }), secrets)?.code).toBe(
      'invalid_signature',
    );
  });

  it('requires the Shippo HMAC header too once its secret is set', () => {
    const both = { ...secrets, shippoHmacSecret: 'shippo_hmac_consign' };
    expect(verifyWebhook('shippo', signed(SHIPPO_BODY, {}, { token: 'tok_123' }), both)?.code).toBe(
      'invalid_signature',
    );
    const header = { 'shippo-auth-signature': `t=1747000000,v1=${SHIPPO_HEX}` };
    expect(verifyWebhook('shippo', signed(SHIPPO_BODY, header, { token: 'tok_123' }), both)).toBeUndefined();
  });

  it('accepts nothing from a service whose secret is not configured, naming the variable', () => {
    for (const [source, variable] of [
      ['easypost', 'CONSIGN_EASYPOST_WEBHOOK_SECRET'],
      ['shippo', 'CONSIGN_SHIPPO_WEBHOOK_TOKEN'],
      ['aftership', 'CONSIGN_AFTERSHIP_WEBHOOK_SECRET'],
    ] as const) {
      const refused = verifyWebhook(source, signed('{}', {}, { token: '' }), {});
      expect(refused).toMatchObject({ code: 'service_unavailable', variable });
      expect(refused?.detail).toContain(variable);
    }
  });

  it('reads the secrets from the environment, treating empty as unset', () => {
    expect(
      webhookSecretsFromEnv({
        CONSIGN_EASYPOST_WEBHOOK_SECRET: 'a',
        CONSIGN_SHIPPO_WEBHOOK_TOKEN: '',
        CONSIGN_AFTERSHIP_WEBHOOK_SECRET: 'c',
      }),
    ).toEqual({ easypost: 'a', shippoToken: undefined, shippoHmacSecret: undefined, aftership: 'c' });
  });

  it('compares strings of any length in constant time', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
  });
});
