import { describe, expect, it } from 'vitest';
import { baseUrlForRegion, FALCON_CLOUDS, functionApiBaseUrl, isFalconCloud } from '../../functions/falcon/regions.ts';

describe('Falcon clouds', () => {
  it('maps X-Cs-Region values to API hosts, case-insensitively', () => {
    expect(baseUrlForRegion('us-2')).toBe('https://api.us-2.crowdstrike.com');
    expect(baseUrlForRegion(' EU-1 ')).toBe('https://api.eu-1.crowdstrike.com');
    expect(baseUrlForRegion('us-gov-1')).toBe('https://api.laggar.gcw.crowdstrike.com');
    expect(baseUrlForRegion('mars-1')).toBeNull();
  });

  it('lists only https hosts under crowdstrike domains', () => {
    for (const url of Object.values(FALCON_CLOUDS)) expect(url).toMatch(/^https:\/\/api\.[a-z0-9.-]+\.crowdstrike\.(com|mil)$|^https:\/\/api\.crowdstrike\.com$/);
    expect(isFalconCloud('us-1')).toBe(true);
    expect(isFalconCloud('constructor')).toBe(false);
  });

  it.each([
    ['', 'https://api.crowdstrike.com'],
    ['auto', 'https://api.crowdstrike.com'],
    ['us1', 'https://api.crowdstrike.com'],
    ['US-2', 'https://api.us-2.crowdstrike.com'],
    ['eu1', 'https://api.eu-1.crowdstrike.com'],
    ['usgov1', 'https://api.laggar.gcw.crowdstrike.com'],
    ['us-gov-2', 'https://api.us-gov-2.crowdstrike.mil'],
    ['mars1', null],
  ])('resolves a function\'s CS_CLOUD %j as FalconPy does: %s', (cloud, url) => {
    expect(functionApiBaseUrl(cloud, '')).toBe(url);
  });

  it('lets a local run point the function at the sandbox', () => {
    expect(functionApiBaseUrl('us-2', 'http://127.0.0.1:8787/')).toBe('http://127.0.0.1:8787');
  });
});
