import type { JsonObject } from '../fql/compileFql.ts';
import type { Random } from '../random.ts';
import type { DatasetName } from './DatasetName.ts';
import type { Device, Tenant } from './Tenant.ts';

/** Makes one realistic record (Falcon field names) whose watermark is the given instant. */
export type RecordFactory = (watermarkMs: number) => JsonObject;

export function recordFactory(dataset: DatasetName, random: Random, tenant: Tenant): RecordFactory {
  switch (dataset) {
    case 'alerts':
      return alertFactory(random, tenant);
    case 'iocs':
      return iocFactory(random);
    case 'intel':
      return intelFactory(random);
    case 'hosts':
      return hostFactory(random, tenant);
    case 'vulnerabilities':
      return vulnerabilityFactory(random, tenant);
  }
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const DAY_PREFIX = new Map<number, string>();
const PAD2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/** `toISOString()` without a Date per call: generation formats hundreds of thousands of timestamps. */
function iso(ms: number): string {
  const day = Math.floor(ms / DAY);
  let prefix = DAY_PREFIX.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * DAY).toISOString().slice(0, 11);
    DAY_PREFIX.set(day, prefix);
  }
  const t = ms - day * DAY;
  const h = Math.floor(t / HOUR);
  const m = Math.floor((t % HOUR) / MINUTE);
  const sec = Math.floor((t % MINUTE) / 1000);
  return `${prefix}${PAD2[h]}:${PAD2[m]}:${PAD2[sec]}.${PAD3[t % 1000]}Z`;
}

/** ATT&CK ids of the tactics and techniques below; the machine-learning pair is Falcon's own (CS prefix). */
const ATTACK_IDS: Readonly<Record<string, string>> = {
  Execution: 'TA0002',
  Persistence: 'TA0003',
  'Privilege Escalation': 'TA0004',
  'Defense Evasion': 'TA0005',
  'Credential Access': 'TA0006',
  Discovery: 'TA0007',
  'Lateral Movement': 'TA0008',
  'Command and Control': 'TA0011',
  Impact: 'TA0040',
  'Machine Learning': 'CSTA0004',
  PowerShell: 'T1059.001',
  'Command and Scripting Interpreter': 'T1059',
  'Registry Run Keys / Startup Folder': 'T1547.001',
  'Process Injection': 'T1055',
  Masquerading: 'T1036',
  'OS Credential Dumping': 'T1003',
  'System Network Configuration Discovery': 'T1016',
  'Remote Services': 'T1021',
  'Ingress Tool Transfer': 'T1105',
  'Data Encrypted for Impact': 'T1486',
  'Sensor-based ML': 'CST0007',
};

function attackId(name: string): string {
  return ATTACK_IDS[name] ?? '';
}

function patternId(technique: string): number {
  return 10_000 + TECHNIQUES.findIndex(([, t]) => t === technique);
}

const TECHNIQUES = [
  ['Execution', 'PowerShell'],
  ['Execution', 'Command and Scripting Interpreter'],
  ['Persistence', 'Registry Run Keys / Startup Folder'],
  ['Privilege Escalation', 'Process Injection'],
  ['Defense Evasion', 'Masquerading'],
  ['Credential Access', 'OS Credential Dumping'],
  ['Discovery', 'System Network Configuration Discovery'],
  ['Lateral Movement', 'Remote Services'],
  ['Command and Control', 'Ingress Tool Transfer'],
  ['Impact', 'Data Encrypted for Impact'],
  ['Machine Learning', 'Sensor-based ML'],
] as const;

const PLATFORM_SETS = [['windows'], ['mac'], ['linux'], ['windows', 'mac'], ['windows', 'linux'], ['mac', 'linux'], ['windows', 'mac', 'linux']];
const NO_ACTORS: string[] = [];
/** Shared empty and constant lists (never mutated), like NO_ACTORS. */
const NO_IDS: string[] = [];
const ENDPOINT_DOMAIN = ['Endpoint'];
const SENSOR_PRODUCTS = ['Falcon Insight'];
const CROWDSTRIKE = ['CrowdStrike'];
/** Falcon's alert objectives (the "why" above the ATT&CK tactic). */
const OBJECTIVES: Readonly<Record<string, string>> = {
  Execution: 'Gain Access',
  Persistence: 'Keep Access',
  'Privilege Escalation': 'Gain Access',
  'Defense Evasion': 'Keep Access',
  'Credential Access': 'Gain Access',
  Discovery: 'Explore',
  'Lateral Movement': 'Explore',
  'Command and Control': 'Contact Controlled Systems',
  Impact: 'Follow Through',
};
const SEVERITY_NAMES = ['Informational', 'Low', 'Medium', 'High', 'Critical'] as const;
const WORDS = ['update', 'cdn', 'secure', 'login', 'mail', 'files', 'portal', 'sync', 'cloud', 'auth', 'static', 'api'] as const;
const TLDS = ['com', 'net', 'org', 'io', 'ru', 'top', 'xyz'] as const;

function severityName(severity: number): string {
  return SEVERITY_NAMES[Math.min(4, Math.floor(severity / 20))] ?? 'Critical';
}

function ipv4(random: Random): string {
  return `${random.between(1, 223)}.${random.int(256)}.${random.int(256)}.${random.between(1, 254)}`;
}

/** Retries a generator until it yields a value not seen before (ids must be unique per dataset). */
function uniqueBy(random: Random, make: (random: Random) => string): () => string {
  const seen = new Set<string>();
  return () => {
    for (;;) {
      const value = make(random);
      if (!seen.has(value)) {
        seen.add(value);
        return value;
      }
    }
  };
}

function alertFactory(random: Random, tenant: Tenant): RecordFactory {
  let sequence = random.between(10_000_000, 90_000_000);
  return (ms) => {
    const device: Device = random.pick(tenant.fleet);
    const id = `ind:${device.device_id}:${sequence++}`;
    const [tactic, technique] = random.pick(TECHNIQUES);
    const severity = random.between(10, 100);
    const pattern = patternId(technique);
    return {
      composite_id: `${tenant.cid}:${id}`,
      id,
      cid: tenant.cid,
      created_timestamp: iso(ms),
      timestamp: iso(ms - random.int(5000)),
      updated_timestamp: iso(ms + random.int(2 * HOUR)),
      severity,
      severity_name: severityName(severity),
      status: random.pick(['new', 'in_progress', 'closed', 'reopened']),
      product: 'epp',
      type: 'ldt',
      tactic,
      technique,
      // Derived, not drawn: another random draw here would change every dataset generated after it.
      mitre_attack: [{ pattern_id: pattern, tactic, tactic_id: attackId(tactic), technique, technique_id: attackId(technique) }],
      // Fleet objects are shared between records (never mutated): generation allocates less.
      device,
      description: `${technique} activity was observed on ${device.hostname}.`,
      ...alertRequiredFields(tenant, device, tactic, technique, pattern, severity, ms),
    };
  };
}

/**
 * The rest of what falconjs `DetectsExternalAlert` requires (its FromJSON reads them unchecked), all derived
 * from fields already drawn: an unassigned, unaggregated, untriaged alert of the Falcon sensor.
 */
function alertRequiredFields(tenant: Tenant, device: Device, tactic: string, technique: string, pattern: number, severity: number, ms: number): JsonObject {
  return {
    agent_id: device.device_id,
    aggregate_id: '',
    aggregation_rule_id: '',
    aggregation_rule_name: '',
    assigned_to_name: '',
    assigned_to_uid: '',
    assigned_to_uuid: '',
    cms_rule_id: '',
    cms_rule_instance_id: '',
    cms_rule_instance_version: '',
    confidence: severity,
    // The alert service indexes a detection shortly after the sensor reports it.
    crawled_timestamp: iso(ms + MINUTE),
    data_domains: ENDPOINT_DOMAIN,
    display_name: technique,
    email_sent: false,
    external: false,
    is_aggregated: false,
    is_falcon_platform_ioa: false,
    linked_behavioral_detections: NO_IDS,
    linked_case_ids: NO_IDS,
    name: technique,
    objective: OBJECTIVES[tactic] ?? 'Falcon Detection Method',
    origin_cid: tenant.cid,
    pattern_id: pattern,
    platform: 'Windows',
    resolution: '',
    scenario: 'suspicious_activity',
    seconds_to_resolved: 0,
    seconds_to_triaged: 0,
    show_in_ui: true,
    source_products: SENSOR_PRODUCTS,
    source_vendors: CROWDSTRIKE,
    tactic_id: attackId(tactic),
    tags: NO_IDS,
    technique_id: attackId(technique),
  };
}

function iocFactory(random: Random): RecordFactory {
  const id = uniqueBy(random, (r) => r.hex(64));
  const value = uniqueBy(random, (r) => {
    switch (r.pick(['sha256', 'md5', 'domain', 'ipv4'] as const)) {
      case 'sha256':
        return `sha256 ${r.hex(64)}`;
      case 'md5':
        return `md5 ${r.hex(32)}`;
      case 'domain':
        return `domain ${r.pick(WORDS)}-${r.alphanumeric(5).toLowerCase()}.${r.pick(TLDS)}`;
      case 'ipv4':
        return `ipv4 ${ipv4(r)}`;
    }
  });
  return (ms) => {
    const [type = 'sha256', indicator = ''] = value().split(' ');
    return {
      id: id(),
      type,
      value: indicator,
      action: random.pick(['detect', 'prevent', 'allow', 'no_action']),
      severity: random.pick(['informational', 'low', 'medium', 'high', 'critical']),
      created_on: iso(ms),
      modified_on: iso(ms + random.int(3 * DAY)),
      source: random.pick(['Falcon Intelligence', 'ISAC feed', 'internal-soc', 'MISP']),
      platforms: random.pick(PLATFORM_SETS),
      applied_globally: random.chance(0.8),
    };
  };
}

function intelFactory(random: Random): RecordFactory {
  // A running sequence makes the fixed-width suffix unique and keeps `_marker` order = publication order.
  let sequence = 0;
  const indicator = uniqueBy(random, (r) => {
    switch (r.pick(['hash_sha256', 'hash_md5', 'domain', 'ip_address', 'url'] as const)) {
      case 'hash_sha256':
        return `hash_sha256 ${r.hex(64)}`;
      case 'hash_md5':
        return `hash_md5 ${r.hex(32)}`;
      case 'domain':
        return `domain ${r.pick(WORDS)}${r.alphanumeric(6).toLowerCase()}.${r.pick(TLDS)}`;
      case 'ip_address':
        return `ip_address ${ipv4(r)}`;
      case 'url':
        return `url https://${r.pick(WORDS)}${r.alphanumeric(5).toLowerCase()}.${r.pick(TLDS)}/${r.alphanumeric(8)}`;
    }
  });
  return (ms) => {
    const published = Math.floor(ms / 1000);
    const [type = 'domain', value = ''] = indicator().split(' ');
    const marker = `${String(published).padStart(10, '0')}${String(sequence++).padStart(10, '0')}`;
    const family = random.pick(['Emotet', 'QakBot', 'IcedID', 'Cobalt Strike', 'AgentTesla', 'LockBit']);
    return {
      id: `${type}_${value}`,
      indicator: value,
      type,
      _marker: marker,
      published_date: published,
      last_updated: published + random.int(7 * 86_400),
      malicious_confidence: random.pick(['high', 'medium', 'low', 'unverified']),
      labels: [{ name: `MaliciousConfidence/${random.pick(['High', 'Medium', 'Low'])}`, created_on: published, last_valid_on: published + 86_400 }],
      actors: random.chance(0.3) ? [random.pick(['FANCY BEAR', 'WIZARD SPIDER', 'SCATTERED SPIDER', 'COZY BEAR'])] : NO_ACTORS,
      malware_families: [family],
      kill_chains: [random.pick(['Delivery', 'Exploitation', 'Installation', 'C2', 'ActionOnObjectives'])],
      threat_types: [random.pick(['Ransomware', 'Commodity', 'Targeted', 'Criminal'])],
      relations: [],
      deleted: false,
      // Required by falconjs `DomainPublicIndicatorV3`; our indicators carry no such context.
      domain_types: NO_IDS,
      ip_address_types: NO_IDS,
      reports: NO_IDS,
      targets: NO_IDS,
      vulnerabilities: NO_IDS,
    };
  };
}

function hostFactory(random: Random, tenant: Tenant): RecordFactory {
  const deviceId = uniqueBy(random, (r) => r.hex(32));
  return (ms) => {
    const platform = random.pick(['Windows', 'Windows', 'Windows', 'Mac', 'Linux'] as const);
    const os =
      platform === 'Windows'
        ? random.pick(['Windows 11', 'Windows 10', 'Windows Server 2022'])
        : platform === 'Mac'
          ? random.pick(['Sonoma (14)', 'Sequoia (15)'])
          : random.pick(['Ubuntu 22.04', 'RHEL 9.3', 'Debian 12']);
    const mac = Array.from({ length: 6 }, () => random.hex(2)).join('-');
    return {
      device_id: deviceId(),
      cid: tenant.cid,
      hostname: `${platform === 'Windows' ? 'WIN' : platform === 'Mac' ? 'MAC' : 'LNX'}-${random.alphanumeric(8).toUpperCase()}`,
      first_seen: iso(ms),
      last_seen: iso(ms + random.int(20 * DAY)),
      platform_name: platform,
      os_version: os,
      agent_version: `7.${random.between(10, 24)}.${random.between(15000, 19999)}.0`,
      local_ip: `10.${random.int(256)}.${random.int(256)}.${random.between(1, 254)}`,
      mac_address: mac,
    };
  };
}

function vulnerabilityFactory(random: Random, tenant: Tenant): RecordFactory {
  const suffix = uniqueBy(random, (r) => r.hex(32));
  return (ms) => {
    const device = random.pick(tenant.fleet);
    const baseScore = Math.round(random.between(20, 100)) / 10;
    const severity = baseScore >= 9 ? 'CRITICAL' : baseScore >= 7 ? 'HIGH' : baseScore >= 4 ? 'MEDIUM' : 'LOW';
    return {
      id: `${device.device_id}_${suffix()}`,
      aid: device.device_id,
      cid: tenant.cid,
      created_timestamp: iso(ms),
      updated_timestamp: iso(ms + random.int(5 * DAY)),
      status: random.pick(['open', 'open', 'reopen', 'closed', 'expired']),
      cve: { id: `CVE-${random.between(2015, 2026)}-${random.between(1000, 49999)}`, base_score: baseScore, severity },
      apps: [appOf(random.pick(['Google Chrome 126.0', 'OpenSSL 3.0.2', 'Microsoft Office 16.0', 'Java 8 Update 401', 'Zoom 5.17']))],
      host_info: hostInfoOf(device),
    };
  };
}

/** Vendor and normalized product of each app version above (falconjs `DomainAPIVulnerabilityExtendedAppV2` requires both). */
const APPS: Readonly<Record<string, readonly [vendor: string, product: string]>> = {
  'Google Chrome 126.0': ['Google', 'Chrome'],
  'OpenSSL 3.0.2': ['OpenSSL', 'OpenSSL'],
  'Microsoft Office 16.0': ['Microsoft', 'Office'],
  'Java 8 Update 401': ['Oracle', 'Java'],
  'Zoom 5.17': ['Zoom', 'Zoom'],
};

function appOf(productNameVersion: string): JsonObject {
  const [vendor = '', product = ''] = APPS[productNameVersion] ?? [];
  return { product_name_version: productNameVersion, product_name_normalized: product, vendor_normalized: vendor };
}

const SERVER_PREFIXES = new Set(['SRV', 'DC', 'SQL', 'WEB', 'BLD']);
const HOST_INFO = new WeakMap<Device, JsonObject>();

/**
 * The host facet falconjs `DomainAPIVulnerabilityHostFacetV2` requires, derived from the fleet device (its
 * address from the device id), made once per device and shared like the device itself.
 */
function hostInfoOf(device: Device): JsonObject {
  let info = HOST_INFO.get(device);
  if (info === undefined) {
    const octet = (i: number): number => parseInt(device.device_id.slice(i, i + 2), 16);
    const server = SERVER_PREFIXES.has(device.hostname.split('-')[0] ?? '');
    info = {
      hostname: device.hostname,
      local_ip: `10.${octet(0)}.${octet(2)}.${1 + (octet(4) % 254)}`,
      machine_domain: 'corp.example.com',
      os_version: server ? 'Windows Server 2022' : 'Windows 11',
      ou: '',
      site_name: 'Default-First-Site-Name',
      system_manufacturer: 'Dell Inc.',
    };
    HOST_INFO.set(device, info);
  }
  return info;
}
