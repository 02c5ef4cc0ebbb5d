import { Webhook } from 'standardwebhooks';
import { randomBytes } from 'node:crypto';
import { signWebhook, verifyWebhook } from './standard-webhooks.js';

const secret = `whsec_${randomBytes(32).toString('base64')}`;
const body = JSON.stringify({ type: 'case.opened', caseId: 'c-1' });

describe('Standard Webhooks signing', () => {
  it('is accepted by the standardwebhooks reference verifier', () => {
    const timestamp = Math.floor(Date.now() / 1000); // the reference verifier reads the real clock
    const headers = signWebhook({ id: 'msg_outbox-42', timestamp, body, secret });
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it('matches the signature the reference library computes', () => {
    const timestamp = 1_614_265_330;
    const reference = new Webhook(secret).sign('msg_1', new Date(timestamp * 1000), body);
    expect(signWebhook({ id: 'msg_1', timestamp, body, secret })['webhook-signature']).toBe(reference);
  });

  it('matches the published test vector', () => {
    const headers = signWebhook({
      id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      timestamp: 1_614_265_330,
      body: '{"test": 2432232314}',
      secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    });
    expect(headers['webhook-signature']).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('verifies what the reference library signs, including rotated keys', () => {
    const nowSeconds = 1_700_000_000;
    const signature = new Webhook(secret).sign('msg_2', new Date(nowSeconds * 1000), body);
    const headers = {
      'Webhook-Id': 'msg_2',
      'Webhook-Timestamp': String(nowSeconds),
      'Webhook-Signature': `v1,bm90IHRoaXMgb25l ${signature}`,
    };
    expect(verifyWebhook({ headers, body, secret, nowSeconds })).toEqual({
      ok: true,
      id: 'msg_2',
      timestamp: nowSeconds,
    });
  });

  it.each([
    ['a changed body', { body: `${body} ` }, 'no matching signature'],
    ['an old timestamp', { nowSeconds: 1_700_000_000 + 301 }, 'timestamp too old'],
    ['a future timestamp', { nowSeconds: 1_700_000_000 - 301 }, 'timestamp too new'],
    ['another secret', { secret: `whsec_${randomBytes(32).toString('base64')}` }, 'no matching signature'],
  ])('refuses %s', (_what, change, reason) => {
    const headers = signWebhook({ id: 'msg_3', timestamp: 1_700_000_000, body, secret });
    const input = { headers: { ...headers }, body, secret, nowSeconds: 1_700_000_000, ...change };
    expect(verifyWebhook(input)).toEqual({ ok: false, reason });
  });

  it('refuses ids that would make the signed content ambiguous', () => {
    expect(() => signWebhook({ id: 'a.b', timestamp: 1, body, secret })).toThrow(/no dot/);
  });
});
