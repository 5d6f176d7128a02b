import { describe, expect, it } from 'vitest';
import { deviceCountRequest, deviceIdsRequest } from '../../../functions/engine/enrich/deviceRequests.ts';

describe('device requests', () => {
  it('device-count: GET with type and value, the value percent-encoded', () => {
    expect(deviceCountRequest('domain', 'a&b=c.test')).toEqual({
      method: 'GET',
      path: '/iocs/aggregates/indicators/device-count/v1?type=domain&value=a%26b%3Dc.test',
      headers: { Accept: 'application/json' },
      body: null,
    });
  });

  it('devices: limit as a string, no offset on the first page, the opaque token after that', () => {
    expect(deviceIdsRequest('ipv6', '2001:db8::1', 100, null).path).toBe('/iocs/queries/indicators/devices/v1?type=ipv6&value=2001%3Adb8%3A%3A1&limit=100');
    expect(deviceIdsRequest('md5', 'ab', 50, 'ZHYx+Oj/=').path).toBe('/iocs/queries/indicators/devices/v1?type=md5&value=ab&limit=50&offset=ZHYx%2BOj%2F%3D');
  });
});
