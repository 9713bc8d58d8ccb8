/**
 * The order webhook as the real service sends it: the body built from an order (payload.ts), the signature
 * (signature.ts) checked against vectors computed outside this code base, and the retry schedule (schedule.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  buildOrderWebhookBody,
  type WebhookLineFacts,
  type WebhookOrderFacts,
} from '../../src/modules/webhooks/payload.js';
import { DEFAULT_RETRY_SCHEDULE, parseRetrySchedule } from '../../src/modules/webhooks/schedule.js';
import {
  signatureHeader,
  verifyWebhookSignature,
  webhookSignature,
} from '../../src/modules/webhooks/signature.js';

const CAPTURE_RAW = new URL(
  '../../../shared/spec/webhook-order_paid-sandbox-capture.raw.txt',
  import.meta.url,
);
const captureAvailable = existsSync(CAPTURE_RAW);
if (!captureAvailable) console.warn(`webhook capture tests skipped: ${CAPTURE_RAW.pathname} not found`);

const order = (over: Partial<WebhookOrderFacts> = {}): WebhookOrderFacts => ({
  order_id: 1234,
  mode: 'default',
  currency_type: 'real',
  currency: 'USD',
  amount: '7.9700',
  platform: 'xsolla',
  user_id: 'player-1',
  user_email: 'player@example.com',
  user_country: 'US',
  custom_parameters: null,
  invoice_id: '2100000001',
  ...over,
});

const line = (over: Partial<WebhookLineFacts> = {}): WebhookLineFacts => ({
  sku: 'sword',
  type: 'virtual_good',
  quantity: 1,
  amount: '1.99',
  is_free: false,
  is_pre_order: false,
  custom_attributes: null,
  content: [],
  ...over,
});

describe('signature: sha1(raw body + secret), hex, in `Authorization: Signature …`', () => {
  it('matches the SHA-1 test vector of FIPS 180 ("abc")', () => {
    // sha1("abc") = a9993e36…; the body "ab" with the key "c" appended hashes the same bytes.
    expect(webhookSignature('ab', 'c')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(signatureHeader('ab', 'c')).toBe('Signature a9993e364706816aba3e25717850c26c9cd0d89d');
  });

  it('is not an HMAC: it differs from HMAC-SHA1 with the same key', async () => {
    const { createHmac } = await import('node:crypto');
    expect(webhookSignature('{"a":1}', 'k')).not.toBe(
      createHmac('sha1', 'k').update('{"a":1}').digest('hex'),
    );
  });

  it('hashes UTF-8 bytes (non-ASCII bodies and keys)', () => {
    const body = '{"name":"Épée — ⚔"}';
    const expected = createHash('sha1')
      .update(Buffer.concat([Buffer.from(body, 'utf8'), Buffer.from('clé', 'utf8')]))
      .digest('hex');
    expect(webhookSignature(body, 'clé')).toBe(expected);
    expect(webhookSignature(Buffer.from(body, 'utf8'), 'clé')).toBe(expected);
  });

  it.skipIf(!captureAvailable)(
    'signs the captured order_paid bytes as `sha1sum` does (vector computed with coreutils sha1sum)',
    () => {
      const raw = readFileSync(CAPTURE_RAW);
      expect(raw.length).toBe(1507);
      // (cat webhook-order_paid-sandbox-capture.raw.txt; printf 'itemshop-test-secret') | sha1sum
      expect(webhookSignature(raw, 'itemshop-test-secret')).toBe('9a9745c4d52bdf06d70debd26a405e33579e96c1');
      expect(
        verifyWebhookSignature(
          raw,
          'Signature 9a9745c4d52bdf06d70debd26a405e33579e96c1',
          'itemshop-test-secret',
        ),
      ).toBe(true);
      // one changed byte, or another key, fails
      const tampered = Buffer.from(raw);
      tampered[tampered.indexOf('1.9900')] = '2'.charCodeAt(0);
      expect(
        verifyWebhookSignature(
          tampered,
          'Signature 9a9745c4d52bdf06d70debd26a405e33579e96c1',
          'itemshop-test-secret',
        ),
      ).toBe(false);
      expect(
        verifyWebhookSignature(raw, 'Signature 9a9745c4d52bdf06d70debd26a405e33579e96c1', 'another-secret'),
      ).toBe(false);
    },
  );

  it('verification rejects a missing, malformed or non-Signature header', () => {
    const sig = webhookSignature('{}', 's');
    expect(verifyWebhookSignature('{}', `Signature ${sig}`, 's')).toBe(true);
    expect(verifyWebhookSignature('{}', `Signature ${sig.toUpperCase()}`, 's')).toBe(true);
    for (const bad of [undefined, '', sig, `Bearer ${sig}`, `Signature ${sig.slice(1)}`, 'Signature zz'])
      expect(verifyWebhookSignature('{}', bad, 's')).toBe(false);
  });
});

describe('order_paid body', () => {
  it.skipIf(!captureAvailable)(
    'reproduces the captured sandbox webhook byte for byte, minus the `billing` block',
    () => {
      const raw = readFileSync(CAPTURE_RAW, 'utf8');
      const capture = JSON.parse(raw) as Record<string, unknown>;
      expect(JSON.stringify(capture)).toBe(raw); // the capture is compact JSON in this key order
      const { billing: _billing, ...withoutBilling } = capture;
      const built = buildOrderWebhookBody(
        'order_paid',
        order({
          order_id: 689810880,
          mode: 'sandbox',
          amount: '1.99',
          user_id: 'a1b2c3d4-0000-4000-8000-019fb6caa51e',
          user_email: 'webhook-e2e@example.com',
          user_country: 'DE',
          invoice_id: '2105129134',
        }),
        [line({ sku: 'artifact_centaurs_axe', amount: '1.9900' })],
        1,
      );
      expect(JSON.stringify(built)).toBe(JSON.stringify(withoutBilling));
    },
  );

  it('gives line totals with four decimals, the order total, and announces the status of the event', () => {
    const body = buildOrderWebhookBody(
      'order_paid',
      order({ amount: '7.97' }),
      [line({ quantity: 3, amount: '1.99' }), line({ sku: 'shield', amount: '2' })],
      1,
    );
    expect(body.items.map((i) => [i.sku, i.quantity, i.amount])).toEqual([
      ['sword', 3, '5.9700'],
      ['shield', 1, '2.0000'],
    ]);
    expect(body.order).toMatchObject({ amount: '7.9700', status: 'paid', currency: 'USD' });
    const canceled = buildOrderWebhookBody('order_canceled', order(), [line()], 1);
    expect(canceled.notification_type).toBe('order_canceled');
    expect(canceled.order.status).toBe('canceled');
  });

  it('carries custom attributes and custom parameters only when there are some', () => {
    const plain = buildOrderWebhookBody('order_paid', order(), [line()], 1);
    expect(plain.items[0]).not.toHaveProperty('custom_attributes');
    expect(plain).not.toHaveProperty('custom_parameters');
    const rich = buildOrderWebhookBody(
      'order_paid',
      order({ custom_parameters: { campaign: 'spring' } }),
      [line({ custom_attributes: { purchased: 0, rarity: 'epic' } })],
      1,
    );
    expect(rich.items[0].custom_attributes).toEqual({ purchased: 0, rarity: 'epic' });
    expect(rich.custom_parameters).toEqual({ campaign: 'spring' });
    expect(Object.keys(rich)).toEqual(['items', 'notification_type', 'order', 'user', 'custom_parameters']);
  });

  it('version 1 lists only bought rows; version 2 adds the flags and each bundle content row after its bundle', () => {
    const lines = [
      line({
        sku: 'starter_pack',
        type: 'bundle',
        quantity: 2,
        amount: '4.99',
        content: [
          { sku: 'sword', type: 'virtual_good', quantity: 1, is_pre_order: false, custom_attributes: null },
          {
            sku: 'gold',
            type: 'virtual_currency',
            quantity: 100,
            is_pre_order: false,
            custom_attributes: null,
          },
        ],
      }),
      line({ sku: 'potion', quantity: 1, amount: '0', is_free: true }),
    ];
    const v1 = buildOrderWebhookBody('order_paid', order(), lines, 1);
    expect(v1.items.map((i) => i.sku)).toEqual(['starter_pack', 'potion']);
    expect(v1.items[0]).not.toHaveProperty('is_bundle_content');
    expect(v1.items[0]).not.toHaveProperty('is_free');

    const v2 = buildOrderWebhookBody('order_paid', order(), lines, 2);
    expect(
      v2.items.map((i) => [i.sku, i.type, i.quantity, i.amount, i.is_free, i.is_bonus, i.is_bundle_content]),
    ).toEqual([
      ['starter_pack', 'bundle', 2, '9.9800', false, false, false],
      ['sword', 'virtual_good', 2, '0.0000', false, false, true],
      ['gold', 'virtual_currency', 200, '0.0000', false, false, true],
      ['potion', 'virtual_good', 1, '0.0000', true, false, false],
    ]);
  });

  it('describes virtual-currency and free orders', () => {
    const vc = buildOrderWebhookBody(
      'order_paid',
      order({
        currency_type: 'virtual',
        currency: 'gold',
        amount: '150',
        invoice_id: null,
        platform: 'pc_standalone',
      }),
      [line({ amount: '150' })],
      1,
    );
    expect(vc.order).toMatchObject({
      currency_type: 'virtual',
      currency: 'gold',
      amount: '150.0000',
      invoice_id: null,
      platform: 'pc_standalone',
    });
    const free = buildOrderWebhookBody(
      'order_paid',
      order({ currency_type: 'unknown', currency: null, amount: '0', invoice_id: null, user_country: null }),
      [line({ amount: '0', is_free: true })],
      2,
    );
    expect(free.order).toMatchObject({ currency: null, amount: '0.0000' });
    expect(free.user).toEqual({ external_id: 'player-1', email: 'player@example.com', country: null });
    expect(free.items[0].is_free).toBe(true);
  });
});

describe('retry schedule', () => {
  it("defaults to the real service's: 2 × 5 min, 7 × 15 min, 10 × 60 min (20 attempts in about 12 h)", () => {
    const delays = parseRetrySchedule(DEFAULT_RETRY_SCHEDULE);
    expect(delays).toHaveLength(19);
    expect(delays.slice(0, 2)).toEqual([300_000, 300_000]);
    expect(delays.slice(2, 9)).toEqual(Array(7).fill(900_000));
    expect(delays.slice(9)).toEqual(Array(10).fill(3_600_000));
    expect(delays.reduce((a, b) => a + b, 0)).toBe((10 + 105 + 600) * 60_000);
  });

  it('accepts ms, s, m and h units, spaces, and an empty schedule (no retries)', () => {
    expect(parseRetrySchedule(' 2x50ms , 1x2s,1x1m,1x1h ')).toEqual([50, 50, 2000, 60_000, 3_600_000]);
    expect(parseRetrySchedule('')).toEqual([]);
  });

  it('rejects what it cannot read', () => {
    for (const bad of ['5m', '2x', 'x5m', '2x5d', '2*5m', '2x5m;1x1h'])
      expect(() => parseRetrySchedule(bad)).toThrow();
    expect(() => parseRetrySchedule('1001x1s')).toThrow(/1000/);
  });
});
