/**
 * Every error text the sandbox sends, in one place. Texts marked UNVERIFIED have no primary evidence
 * (falcon-api.md says so); they are our choice and may be changed here without touching the endpoints.
 */
export const MESSAGES = {
  /** 401 on every endpoint: missing, expired, revoked or foreign bearer token (falconpy#130). */
  invalidBearer: 'access denied, invalid bearer token',
  /** 403 for a missing API scope (ansible_collection_falcon#154). */
  authorizationFailed: 'access denied, authorization failed',
  /** 403 at /oauth2/token for a bad secret, the 2025 wording (elastic/kibana#235139). */
  tokenClientAuthFailed:
    'Failed to issue access token - Client authentication failed (e.g., unknown client, no client authentication included, or unsupported authentication method)',
  /** 400 at /oauth2/token for a malformed request (ansible_collection_falcon#173). */
  tokenMalformed: (clientId: string): string => `Failed to generate access token for clientID=${clientId}.`,
  /** Hosts wording of the style-A depth cap (falconpy#532); the sandbox also uses it for legacy detects. */
  offsetCapHosts: (exclusiveCap: number): string => `limit + offset must be less than ${exclusiveCap}`,
  /** Intel offset cap (elastic/integrations#9199). */
  offsetCapIntel: (exclusiveCap: number): string => `the sum of limit and offset params must be less than ${exclusiveCap}`,
  /** Spotlight expired `after` (elastic/integrations#14670); UNVERIFIED for scroll, alerts and IOC tokens. */
  searchContextExpired: "Search context expired, 'after' key no longer valid",
  /** alerts v2 at the 10,000 cap: psfalcon#423 reports only the status. Text UNVERIFIED. */
  internalServerError: 'Internal Server Error',
  /** 200 with errors[] (falconpy#917). */
  failedToGetId: (id: string): string => `failed to get id=${id}`,
  /** 429 text appears only in J1 mock tests: UNVERIFIED. */
  rateLimited: 'API rate limit exceeded.',
  /** UNVERIFIED. */
  invalidSort: 'invalid sort',
  /** UNVERIFIED: a query parameter the route's definition does not document. */
  unknownQueryParam: (name: string, path: string): string => `unknown query parameter "${name}": ${path} does not take it`,
  /** UNVERIFIED. */
  invalidBoolean: (name: string): string => `invalid ${name}: must be true or false`,
  /** UNVERIFIED. */
  invalidEnumValue: (name: string, value: string, allowed: readonly string[]): string =>
    `invalid ${name} "${value}": must be one of ${allowed.join(', ')}`,
  /** UNVERIFIED wording; the rule is the IOC definitions' ("to access more than 10k iocs, use the 'after' parameter"). */
  iocOffsetCap: (cap: number): string => `offset + limit must be at most ${cap}: use the after parameter to page past ${cap} indicators`,
  /** UNVERIFIED. */
  invalidLimit: (min: number, max: number): string => `invalid limit: must be an integer between ${min} and ${max}`,
  /** UNVERIFIED. */
  invalidOffset: 'invalid offset: must be a non-negative integer',
  /** UNVERIFIED: the IOC spec says offset and after are mutually exclusive, not what the server answers. */
  offsetWithAfter: 'offset and after are mutually exclusive',
  /** UNVERIFIED: Spotlight documents filter as required. */
  filterRequired: 'filter is required',
  /** UNVERIFIED: FQL errors name the position of the problem. */
  invalidFilter: (detail: string): string => `Invalid filter: ${detail}`,
  /** UNVERIFIED. */
  invalidJsonBody: 'invalid JSON body',
  /** UNVERIFIED. */
  tooManyIds: (max: number): string => `too many ids: at most ${max} per request`,
  /** UNVERIFIED. */
  missingIds: (key: string): string => `body must be a JSON object with a non-empty "${key}" array of strings`,
  /** UNVERIFIED. */
  notFound: 'Not Found',
  /** UNVERIFIED. */
  methodNotAllowed: 'Method Not Allowed',
  /** Transient 5xx inside a JSON envelope (flaky profile); texts UNVERIFIED. */
  serviceUnavailable: 'Service Unavailable',
  /**
   * Device count of an indicator no device saw, when the sandbox answers 404: the legacy
   * `/indicators/aggregates/devices-count/v1` text in demisto/content's CrowdStrikeFalcon tests. UNVERIFIED
   * for the `/iocs/` endpoints.
   */
  iocNotFound: (type: string, value: string): string => `${type}:${value} - Resource Not Found`,
  /** UNVERIFIED. */
  iocParamRequired: (name: string): string => `${name} is required`,
  /** UNVERIFIED wording; the valid types are the swagger text's. */
  iocTypeInvalid: (type: string): string => `Invalid type '${type}'. Valid types include: sha256, md5, domain, ipv4, ipv6`,
  /** UNVERIFIED wording; the rules are the swagger text's. */
  iocValueInvalid: (type: string, problem: string): string => `Invalid value for type ${type}: ${problem}`,
  /** UNVERIFIED. */
  iocOffsetInvalid: 'invalid offset: use the offset the previous page returned',
} as const;
