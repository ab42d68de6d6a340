import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { clientAddress, createVisitorKeys, visitorNetwork, type TrustedProxy } from './client-address.js';

function addressOf(headers: Record<string, string>, proxy: TrustedProxy | null, socket = '203.0.113.5') {
  const app = new Hono<{ Bindings: { incoming: { socket: { remoteAddress: string } } } }>();
  app.get('/', (c) => c.text(clientAddress(c, proxy)));
  return Promise.resolve(app.request('/', { headers }, { incoming: { socket: { remoteAddress: socket } } })).then((response) => response.text());
}

describe('clientAddress', () => {
  it('uses the socket unless a proxy is trusted', async () => {
    expect(await addressOf({ 'x-forwarded-for': '198.51.100.1' }, null)).toBe('203.0.113.5');
    expect(await addressOf({}, null, '::ffff:192.0.2.7')).toBe('192.0.2.7');
  });

  it('takes the entry the trusted proxies added, not one the client wrote', async () => {
    const proxy = { header: 'x-forwarded-for', hops: 1 };
    expect(await addressOf({ 'x-forwarded-for': 'forged-by-client, 198.51.100.1' }, proxy)).toBe('198.51.100.1');
    expect(await addressOf({ 'x-forwarded-for': '1.1.1.1, 198.51.100.1, 10.0.0.2' }, { header: 'x-forwarded-for', hops: 2 })).toBe('198.51.100.1');
    expect(await addressOf({ 'cf-connecting-ip': '2001:db8::1' }, { header: 'cf-connecting-ip', hops: 1 })).toBe('2001:db8::1');
  });

  it('falls back to the socket when the header is missing or not an address', async () => {
    const proxy = { header: 'x-forwarded-for', hops: 1 };
    expect(await addressOf({}, proxy)).toBe('203.0.113.5');
    expect(await addressOf({ 'x-forwarded-for': '<script>' }, proxy)).toBe('203.0.113.5');
  });
});

describe('visitorNetwork', () => {
  it('keeps IPv4 addresses, and groups IPv6 ones by their /64', () => {
    expect(visitorNetwork('198.51.100.1')).toBe('198.51.100.1');
    expect(visitorNetwork('2001:db8:0:1:a::7')).toBe('2001:db8:0:1::/64');
    expect(visitorNetwork('2001:DB8:0:1:ffff:ffff:ffff:ffff')).toBe('2001:db8:0:1::/64');
    expect(visitorNetwork('2001:0db8:0000:0001::')).toBe('2001:db8:0:1::/64');
    expect(visitorNetwork('2001:db8::')).toBe('2001:db8:0:0::/64');
    expect(visitorNetwork('::1')).toBe('0:0:0:0::/64');
    expect(visitorNetwork('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(visitorNetwork('2001:db8:0:2::1')).not.toBe(visitorNetwork('2001:db8:0:1::1'));
  });

  it('reads IPv4 written as IPv6 as the IPv4 host', () => {
    expect(visitorNetwork('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(visitorNetwork('::ffff:c000:207')).toBe('192.0.2.7');
  });

  it('leaves what is not an IPv6 address as it is', () => {
    for (const text of ['unknown', '1::2::3', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', 'g::1', '::ffff:1.2.3.999', '::1.2.3']) {
      expect(visitorNetwork(text)).toBe(text);
    }
  });
});

describe('createVisitorKeys', () => {
  it('gives every address of one IPv6 /64 the same key, so hopping inside it dodges no limit', async () => {
    const keys = createVisitorKeys('secret-a');
    expect(await keys('2001:db8:0:1::a')).toBe(await keys('2001:db8:0:1:dead:beef:0:1'));
    expect(await keys('2001:db8:0:1::a')).not.toBe(await keys('2001:db8:0:2::a'));
  });

  it('makes stable, opaque keys that differ between deployments', async () => {
    const keys = createVisitorKeys('secret-a');
    const key = await keys('198.51.100.1');
    expect(key).toMatch(/^[\w-]{16}$/);
    expect(await keys('198.51.100.1')).toBe(key);
    expect(await keys('198.51.100.2')).not.toBe(key);
    expect(await createVisitorKeys('secret-b')('198.51.100.1')).not.toBe(key);
  });
});
