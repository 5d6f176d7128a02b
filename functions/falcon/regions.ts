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
