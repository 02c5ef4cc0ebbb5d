import { checkWebhookUrl, isPrivateAddress, privateAddressReason } from './url-safety.js';

describe('private addresses', () => {
  it.each([
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['127.0.0.1', 'loopback'],
    ['127.8.8.8', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.254', 'carrier-grade NAT'],
    ['0.0.0.0', 'this network'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1%eth0', 'link-local'],
    ['fd12:3456:789a::1', 'unique-local'],
    ['fc00::1', 'unique-local'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['[::ffff:169.254.169.254]', 'link-local'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['2002:c0a8:0101::1', 'private'],
    ['2001:db8::1', 'documentation'],
  ])('%s is %s', (ip, reason) => {
    expect(isPrivateAddress(ip)).toBe(true);
    expect(privateAddressReason(ip)).toBe(reason);
  });

  it.each([
    '8.8.8.8',
    '172.32.0.1',
    '100.128.0.1',
    '151.101.0.1',
    '2a00:1450:4009::200e',
    '::ffff:8.8.8.8',
    '64:ff9b::8.8.8.8',
  ])('%s is public', (ip) => {
    expect(isPrivateAddress(ip)).toBe(false);
  });

  it('treats text that is not an address as unsafe', () => {
    expect(isPrivateAddress('localhost')).toBe(true);
    expect(isPrivateAddress('999.1.1.1')).toBe(true);
  });
});

describe('webhook URL check', () => {
  it('accepts https to a public address', () => {
    expect(checkWebhookUrl('https://hooks.leeds.example/broker', ['151.101.0.1'])).toEqual({ ok: true });
  });

  it.each([
    [
      'https://hooks.example/x',
      ['151.101.0.1', '10.0.0.5'],
      'host hooks.example resolves to 10.0.0.5, a private address',
    ],
    ['https://127.0.0.1/x', ['151.101.0.1'], 'host 127.0.0.1 resolves to 127.0.0.1, a loopback address'],
    ['https://[::1]:8443/x', [], 'host ::1 resolves to ::1, a loopback address'],
    ['http://hooks.example/x', ['151.101.0.1'], 'scheme http is not allowed; use https'],
    ['https://user:pw@hooks.example/x', ['151.101.0.1'], 'credentials in the URL are not allowed'],
    ['https://hooks.example/x', [], 'host hooks.example did not resolve'],
    ['not a url', [], 'not a valid URL'],
  ])('refuses %s', (url, addresses, reason) => {
    expect(checkWebhookUrl(url, addresses)).toEqual({ ok: false, reason });
  });

  it('lets the allow-list permit local receivers in development and tests', () => {
    expect(checkWebhookUrl('http://localhost:4000/hook', ['127.0.0.1'], ['localhost'])).toEqual({ ok: true });
    expect(checkWebhookUrl('https://receiver.test/hook', ['10.0.0.7'], ['10.0.0.0/8'])).toEqual({ ok: true });
    expect(checkWebhookUrl('https://receiver.test/hook', ['10.0.0.7', '192.168.0.2'], ['10.0.0.0/8']).ok).toBe(false);
  });
});
