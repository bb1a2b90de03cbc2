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
    // `vm` resolves to 127.0.0.1 here (/etc/hosts): only a lookup at delivery time catches it.
    expect(literalDestinationProblem('http://vm/x')).toBeNull();
    expect(await destinationProblem('http://vm/x')).toMatch(/private|resolve/);
    process.env.TOUCHPOINT_WEBHOOKS_ALLOW_PRIVATE = '1';
    expect(
      createEndpointSchema.safeParse({ url: 'http://127.0.0.1:9/x', events: ['lead.created'] })
        .success,
    ).toBe(true);
    expect(await destinationProblem('http://127.0.0.1:9/x')).toBeNull();
  });
});
