/** Falcon clouds and their API hosts (falconpy `_enum/_base_url.py`, gofalcon `falcon/cloud.go`). */
export const FALCON_CLOUDS = {
  'us-1': 'https://api.crowdstrike.com',
  'us-2': 'https://api.us-2.crowdstrike.com',
  'eu-1': 'https://api.eu-1.crowdstrike.com',
  'us-gov-1': 'https://api.laggar.gcw.crowdstrike.com',
  'us-gov-2': 'https://api.us-gov-2.crowdstrike.mil',
} as const;

export type FalconCloud = keyof typeof FALCON_CLOUDS;

export function isFalconCloud(value: string): value is FalconCloud {
  return Object.hasOwn(FALCON_CLOUDS, value);
}

/** Maps the `X-Cs-Region` header of a 308 or 201 answer to a base URL, or null when unknown. */
export function baseUrlForRegion(region: string): string | null {
  const key = region.trim().toLowerCase();
  return isFalconCloud(key) ? FALCON_CLOUDS[key] : null;
}

/**
 * The API base URL of a Foundry function, resolved the way FalconPy does from `CS_CLOUD` (lower-cased,
 * dashes dropped: `us1`, `us-2`, `usgov1`; empty or `auto` mean us-1). `override` is for local runs
 * against the sandbox (PG_API_BASE_URL); null when the cloud is not one we know.
 */
export function functionApiBaseUrl(cloud: string, override: string): string | null {
  if (override !== '') return override.replace(/\/+$/, '');
  const key = cloud.trim().toLowerCase().replace(/-/g, '');
  if (key === '' || key === 'auto') return FALCON_CLOUDS['us-1'];
  const match = (Object.keys(FALCON_CLOUDS) as FalconCloud[]).find((name) => name.replace(/-/g, '') === key);
  return match === undefined ? null : FALCON_CLOUDS[match];
}
