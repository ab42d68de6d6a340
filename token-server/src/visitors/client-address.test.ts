import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { SITE_ORIGIN, startStack, type Stack } from '../../test/harness.js';
import { createLogger } from '../logger.js';
import { clientAddress, createClientAddress, createVisitorKeys, parseAddress, UNKNOWN_CLIENT, visitorNetwork, type ConnectionAddress, type TrustedProxy } from './client-address.js';

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
    expect(await addressOf({ 'x-forwarded-for': '198.51.100.1:99999' }, proxy)).toBe('203.0.113.5');
    expect(await addressOf({ 'x-forwarded-for': 'proxy.internal' }, proxy)).toBe('203.0.113.5');
  });

  it('drops the port and brackets a proxy may write, so a visitor is one visitor', async () => {
    const proxy = { header: 'x-forwarded-for', hops: 1 };
    expect(await addressOf({ 'x-forwarded-for': '203.0.113.9:40001' }, proxy)).toBe('203.0.113.9');
    expect(await addressOf({ 'x-forwarded-for': 'forged, [2001:db8::1]:443' }, proxy)).toBe('2001:db8::1');
    expect(await addressOf({ 'x-forwarded-for': '[2001:DB8::1]' }, proxy)).toBe('2001:db8::1');
    expect(await addressOf({ 'x-forwarded-for': 'fe80::1%eth0' }, proxy)).toBe('fe80::1');
  });
});

describe('parseAddress', () => {
  it('reads IPv4 with an optional port, and IPv6 bare or in brackets with an optional port', () => {
    const cases: Array<[string, string]> = [
      ['192.0.2.60', '192.0.2.60'],
      ['192.0.2.60:4711', '192.0.2.60'],
      ['192.0.2.60:_p1', '192.0.2.60'],
      ['192.0.2.060', '192.0.2.60'],
      ['2001:db8:cafe::17', '2001:db8:cafe::17'],
      ['[2001:db8:cafe::17]', '2001:db8:cafe::17'],
      ['[2001:db8:cafe::17]:4711', '2001:db8:cafe::17'],
      ['[2001:db8:cafe::17]:_hidden-port', '2001:db8:cafe::17'],
      ['fe80::1%eth0', 'fe80::1'],
      ['[fe80::1%25eth0]:443', 'fe80::1'],
      ['::ffff:192.0.2.7', '192.0.2.7'],
      ['[::ffff:c000:207]:80', '192.0.2.7'],
      ['::1', '::1'],
    ];
    for (const [entry, address] of cases) expect(parseAddress(entry), entry).toBe(address);
  });

  it('refuses what names no address', () => {
    const refused = [
      '', 'unknown', '_hidden', '_gazonk', 'localhost', 'proxy.internal', '<script>', '256.0.0.1', '1.2.3', '1.2.3.4.5',
      '1.2.3.4:', '1.2.3.4:65536', '1.2.3.4:-1', '[1.2.3.4]:80', '[2001:db8::1', '2001:db8::1]', '[2001:db8::1]:',
      '[2001:db8::1]:70000', '[2001:db8::1]:80:80', '[[2001:db8::1]]', '2001:db8::1::2', 'fe80::1%', 'fe80::1%<b>',
      '1.2.3.4 ', ' 1.2.3.4', `[${'1:'.repeat(80)}:1]`,
    ];
    for (const entry of refused) expect(parseAddress(entry), entry).toBeNull();
  });
});

describe('clientAddress with Forwarded (RFC 7239)', () => {
  const forwarded = (value: string, hops = 1) => addressOf({ forwarded: value }, { header: 'forwarded', hops });

  it('takes the for= parameter, quoted or not, of the element the trusted proxies added', async () => {
    expect(await forwarded('for=192.0.2.60;proto=http;by=203.0.113.43')).toBe('192.0.2.60');
    expect(await forwarded('For="[2001:db8:cafe::17]:4711"')).toBe('2001:db8:cafe::17');
    expect(await forwarded('proto=https; FOR = "192.0.2.43:47011" ;by=_proxy')).toBe('192.0.2.43');
    expect(await forwarded('for=198.51.100.99, for=192.0.2.43, for=198.51.100.17')).toBe('198.51.100.17');
    expect(await forwarded('for=198.51.100.99, for=192.0.2.43, for=198.51.100.17', 2)).toBe('192.0.2.43');
    expect(await forwarded('for=192.0.2.43', 3)).toBe('192.0.2.43');
  });

  it('does not let what the client wrote on the left change how the proxies\' elements read', async () => {
    // An unclosed quote or stray separators from the client end with its own elements.
    expect(await forwarded('for="198.51.100.99, for=192.0.2.43')).toBe('192.0.2.43');
    expect(await forwarded('for=198.51.100.99;;;,,, for=192.0.2.43')).toBe('192.0.2.43');
  });

  it('falls back to the socket for obfuscated identifiers, an element without exactly one for=, or garbage', async () => {
    for (const value of ['for=_hidden', 'for="_gazonk"', 'for=unknown', 'for=192.0.2.43, proto=https', 'for=192.0.2.1;for=192.0.2.2', 'for="192.0.2.43', 'for=', '192.0.2.43', 'for=<script>']) {
      expect(await forwarded(value), value).toBe('203.0.113.5');
    }
  });
});

describe('visitors behind a proxy, over HTTP', () => {
  const create = (stack: Stack, header: string, value: string) =>
    stack.request('/api/sessions', { method: 'POST', headers: { 'content-type': 'application/json', [header]: value }, body: '{}' });

  async function withStack(proxy: TrustedProxy, perVisitor: number, run: (stack: Stack) => Promise<void>) {
    const stack = await startStack({ config: { trustedProxy: proxy, limits: { ratePerMinute: 1000, siteRatePerMinute: 1000, perVisitor, concurrent: 1000, actionsPerMinute: 100_000 } } });
    try {
      await run(stack);
    } finally {
      await stack.close();
      expect(stack.secretLeaks()).toEqual([]);
    }
  }

  it('counts one visitor across source ports, so new connections do not lift the per-visitor cap', async () => {
    await withStack({ header: 'x-forwarded-for', hops: 1 }, 2, async (stack) => {
      const responses = [];
      for (let port = 40001; port <= 40006; port += 1) responses.push(await create(stack, 'x-forwarded-for', `203.0.113.5:${port}`));
      expect(responses.map((response) => response.status)).toEqual([201, 201, 429, 429, 429, 429]);
      for (const refused of responses.slice(2)) expect(refused.json()).toMatchObject({ code: 'too-many-sessions', status: 429 });
      expect(stack.equos.state.callsTo('create')).toHaveLength(2);
    });
  });

  it('tells bracketed IPv6 visitors apart instead of putting them all in the proxy\'s bucket', async () => {
    await withStack({ header: 'x-forwarded-for', hops: 1 }, 2, async (stack) => {
      const statuses = [];
      for (const value of ['[2001:db8::1]:443', '[2001:db8::1]:444', '[2001:db8::1]:445', '[2001:db8:1::1]:443', '[2001:db8:1::1]:443', '[2001:db8:1::1]:446']) {
        statuses.push((await create(stack, 'x-forwarded-for', value)).status);
      }
      expect(statuses).toEqual([201, 201, 429, 201, 201, 429]);
    });
  });

  it('reads visitors from the Forwarded header when told to', async () => {
    await withStack({ header: 'forwarded', hops: 1 }, 1, async (stack) => {
      const statuses = [];
      for (const value of ['for=192.0.2.60;proto=http;by=203.0.113.43', 'for="192.0.2.60:4711"', 'for="[2001:db8:cafe::17]:4711"', 'for=198.51.100.1, for="[2001:db8:cafe::18]"']) {
        statuses.push((await create(stack, 'forwarded', value)).status);
      }
      expect(statuses).toEqual([201, 429, 201, 429]);
    });
  });
});

describe('createClientAddress: the runtime tells the connection', () => {
  function addressesOf(requests: Array<Record<string, string>>, options: { proxy?: TrustedProxy; connection?: ConnectionAddress }) {
    const lines: string[] = [];
    const addressOf = createClientAddress({ trustedProxy: options.proxy ?? null, connectionAddress: options.connection, logger: createLogger({ write: (line) => lines.push(line) }) });
    const app = new Hono();
    app.get('/', (c) => c.text(addressOf(c)));
    // `app.request` without an env: like a host that calls `server.fetch(request)` and nothing more.
    return Promise.all(requests.map(async (headers) => (await app.request('/', { headers })).text())).then((addresses) => ({ addresses, warnings: lines.map((line) => JSON.parse(line) as Record<string, string>) }));
  }

  it('asks the runtime for the connection address, unless the trusted proxy names one', async () => {
    const connection: ConnectionAddress = (c) => c.req.header('x-test-connection');
    const { addresses } = await addressesOf([{ 'x-test-connection': '[2001:db8::9]:5000' }, { 'x-test-connection': '192.0.2.1', 'x-forwarded-for': '198.51.100.4' }], { connection });
    expect(addresses).toEqual(['2001:db8::9', '192.0.2.1']);
    const proxied = await addressesOf([{ 'x-test-connection': '192.0.2.1', 'x-forwarded-for': '198.51.100.4' }, { 'x-test-connection': '192.0.2.1' }], { connection, proxy: { header: 'x-forwarded-for', hops: 1 } });
    expect(proxied.addresses).toEqual(['198.51.100.4', '192.0.2.1']);
    expect(proxied.warnings).toEqual([]);
  });

  it('without any address: one visitor, and one warning naming the cause and both fixes', async () => {
    const { addresses, warnings } = await addressesOf([{}, {}, { 'x-forwarded-for': '198.51.100.4' }], {});
    expect(addresses).toEqual([UNKNOWN_CLIENT, UNKNOWN_CLIENT, UNKNOWN_CLIENT]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 'warn', event: 'visitors.address.unknown' });
    expect(warnings[0]!.note).toMatch(/no TRUSTED_PROXY_HEADER is set.*per-visitor limits are shared.*deps\.connectionAddress.*TRUSTED_PROXY_HEADER/);
    const proxied = await addressesOf([{}, {}], { proxy: { header: 'cf-connecting-ip', hops: 1 }, connection: () => undefined });
    expect(proxied.warnings).toHaveLength(1);
    expect(proxied.warnings[0]!.note).toMatch(/no cf-connecting-ip header naming one/);
  });

  it('over a whole token server called through server.fetch alone: those callers share one per-visitor cap, apart from addressed visitors', async () => {
    const stack = await startStack({ config: { limits: { ratePerMinute: 1000, siteRatePerMinute: 1000, perVisitor: 1, concurrent: 1000, actionsPerMinute: 100_000 } } });
    try {
      const create = () => stack.server.fetch(new Request('http://token-server.test/api/sessions', { method: 'POST', headers: { origin: SITE_ORIGIN, 'content-type': 'application/json' }, body: '{}' }));
      expect((await create()).status).toBe(201);
      const refused = await create();
      expect([refused.status, ((await refused.json()) as { code: string }).code]).toEqual([429, 'too-many-sessions']);
      // A visitor with an address (this one, on 127.0.0.1 over real HTTP) has its own cap.
      expect((await stack.request('/api/sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(201);
      expect(stack.equos.state.callsTo('create')).toHaveLength(2);
      expect(stack.logs.filter((line) => line.includes('"event":"visitors.address.unknown"'))).toHaveLength(1);
    } finally {
      await stack.close();
    }
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
