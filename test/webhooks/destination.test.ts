import { afterEach, describe, expect, it } from 'vitest';
import {
  destinationProblem,
  isPrivateAddress,
  literalDestinationProblem,
} from '../../collector/webhooks/destination.ts';
import { createEndpointSchema } from '../../collector/webhooks/endpoints.ts';

describe('webhook destinations', () => {
  afterEach(() => {
    delete process.env.TOUCHPOINT_WEBHOOKS_ALLOW_PRIVATE;
  });

  it('classifies private, loopback, link-local and mapped addresses', () => {
    for (const ip of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      '::',
      'fd00::1',
      'fe80::1',
      '::ffff:127.0.0.1',
    ]) {
      expect(isPrivateAddress(ip), ip).toBe(true);
    }
    for (const ip of ['93.184.216.34', '8.8.8.8', '2606:4700::1111', '172.32.0.1']) {
      expect(isPrivateAddress(ip), ip).toBe(false);
    }
  });

  it('refuses IPv6 addresses that carry a private IPv4 address (NAT64, 6to4, Teredo, compatible)', () => {
    // On an IPv6-only cluster with NAT64, [64:ff9b::a9fe:a9fe] is the metadata service.
    for (const ip of [
      '64:ff9b::a9fe:a9fe',
      '64:ff9b::127.0.0.1',
      '64:ff9b:1::808:808', // a local NAT64 prefix: anything behind it is local
      '::7f00:1',
      '::10.0.0.1',
      '::ffff:0:7f00:1',
      '0:0:0:0:0:ffff:a9fe:a9fe',
      '2002:a9fe:a9fe::1',
      '2002:c0a8:101::',
      '2001:0:4136:e378:8000:63bf:80ff:fffe', // Teredo client 127.0.0.1 (stored inverted)
      'fec0::1',
      'ff02::1',
      '100::1',
      '2001:db8::1',
    ]) {
      expect(isPrivateAddress(ip), ip).toBe(true);
    }
    for (const ip of [
      '64:ff9b::808:808',
      '64:ff9b::93.184.216.34',
      '2002:808:808::1',
      '2001:0:4136:e378:8000:63bf:f7f7:f7f7',
      '2001:4860:4860::8888',
      '::ffff:8.8.8.8',
    ]) {
      expect(isPrivateAddress(ip), ip).toBe(false);
    }
    for (const url of ['http://[64:ff9b::a9fe:a9fe]/latest', 'http://[2002:7f00:1::]:8080/']) {
      const res = createEndpointSchema.safeParse({ url, events: ['lead.created'] });
      expect(res.success, url).toBe(false);
      expect(res.error!.issues[0]!.path).toEqual(['url']);
    }
  });

  it('refuses local names however they are spelled, and the documentation ranges, at creation', () => {
    for (const url of [
      'http://localhost./',
      'http://LOCALHOST/',
      'http://localhost%2e/',
      'http://foo.localhost./',
      'http://metadata.google.internal./computeMetadata/v1/',
      'http://ip6-localhost/',
      'http://ip6-loopback:8080/',
      'http://vm/x', // a single label: the hosts file or a search domain, never a public host
      'http://printer.local/',
      'http://router.home.arpa/',
      'http://192.0.0.1/',
      'http://192.0.2.1/',
      'http://198.51.100.1/',
      'http://203.0.113.9/',
      'http://[3fff::1]/',
      'http://[5f00::1]/',
    ]) {
      const res = createEndpointSchema.safeParse({ url, events: ['lead.created'] });
      expect(res.success, url).toBe(false);
      expect(res.error!.issues[0]!.path).toEqual(['url']);
    }
    for (const url of [
      'https://hooks.example.com/x',
      'https://localhost.example.com/',
      'https://api.local-crm.io/',
    ]) {
      expect(literalDestinationProblem(url), url).toBeNull();
    }
  });

  it('refuses private endpoints at creation and at delivery unless allowed', async () => {
    for (const url of [
      'http://127.0.0.1:9/x',
      'http://localhost:8080/',
      'http://169.254.169.254/latest',
      'http://[::1]/',
    ]) {
      const res = createEndpointSchema.safeParse({ url, events: ['lead.created'] });
      expect(res.success, url).toBe(false);
      expect(res.error!.issues[0]!.path).toEqual(['url']);
    }
    expect(literalDestinationProblem('https://hooks.example.com/x')).toBeNull();
    expect(literalDestinationProblem('https://8.8.8.8/x')).toBeNull();
    // A public name that resolves inside is only caught by the lookup before each delivery.
    expect(await destinationProblem('http://vm/x')).toMatch(/private|resolve/);
    expect(await destinationProblem('http://localhost./x')).toMatch(/private/);
    process.env.TOUCHPOINT_WEBHOOKS_ALLOW_PRIVATE = '1';
    expect(
      createEndpointSchema.safeParse({ url: 'http://127.0.0.1:9/x', events: ['lead.created'] })
        .success,
    ).toBe(true);
    expect(await destinationProblem('http://127.0.0.1:9/x')).toBeNull();
    // As the configuration check accepts it (booleans are 1/0 or true/false).
    process.env.TOUCHPOINT_WEBHOOKS_ALLOW_PRIVATE = ' True ';
    expect(await destinationProblem('http://127.0.0.1:9/x')).toBeNull();
    process.env.TOUCHPOINT_WEBHOOKS_ALLOW_PRIVATE = 'false';
    expect(await destinationProblem('http://127.0.0.1:9/x')).toMatch(/private/);
  });
});
