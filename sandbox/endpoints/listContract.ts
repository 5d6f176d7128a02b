import { STREAMS, type StreamName } from '../../functions/falcon/streams.ts';
import type { SortDirection } from './SortOrder.ts';

/** Path of the custom-IOC ids query (FalconPy `indicator_search_v1`), served from the IOC dataset. */
export const IOC_IDS_PATH = '/iocs/queries/indicators/v1';

/** Where a route takes its free-text `q`: the query string, the JSON body, or nowhere. */
export type TextSearch = 'query' | 'body' | null;

/**
 * What the FalconPy 1.6.6 definition of a list operation documents, as the sandbox enforces it: the query
 * parameters it takes (any other is refused, as the API refuses them), the fields `sort` accepts, and the
 * order served when no `sort` is given.
 */
export interface ListContract {
  queryParams: readonly string[];
  /** Query parameters that must be `true` or `false`. */
  booleanParams: readonly string[];
  /** Query parameters whose every value must be one of the documented ones. */
  enumParams: Readonly<Record<string, readonly string[]>>;
  sortFields: ReadonlySet<string>;
  /** The definition's sort enum lists bare field names (`created_on`), so a bare field sorts ascending. */
  bareSort: boolean;
  defaultSort: { field: string; direction: SortDirection };
  textSearch: TextSearch;
  /** What `resources` holds: full records (combined routes) or their ids (query routes). */
  resources: 'records' | 'ids';
}

/**
 * Alerts: "any keyword field that is part of #domain.Alert except for the text based fields"; these are the
 * fields the combined and queries definitions name, plus `composite_id`, which the combined definition
 * recommends as an immutable sort field. Alerts missing a field fall back to the default order (queries
 * definition), which is what the sandbox's records do for the fields they lack (assigned_to_*, tags, …).
 */
const ALERT_SORT_FIELDS = new Set([
  'timestamp', 'created_timestamp', 'updated_timestamp', 'status', 'cid', 'aggregate_id', 'assigned_to_name', 'assigned_to_uid',
  'assigned_to_uuid', 'show_in_ui', 'tactic_id', 'tactic', 'technique', 'technique_id', 'pattern_id', 'product', 'comment', 'tags',
  'composite_id',
]);

/** The `sort` enum of `indicator_combined_v1` and `indicator_search_v1` (bare names). */
const IOC_SORT_FIELDS = new Set([
  'action', 'applied_globally', 'metadata.av_hits', 'metadata.company_name.raw', 'created_by', 'created_on', 'expiration', 'expired',
  'metadata.filename.raw', 'modified_by', 'modified_on', 'metadata.original_filename.raw', 'metadata.product_name.raw',
  'metadata.product_version', 'severity_number', 'source', 'type', 'value',
]);

/** Intel: the definition's example (`published_date|asc`) and the fields psfalcon offers (falcon-api.md §8). */
const INTEL_SORT_FIELDS = new Set(['_marker', 'id', 'indicator', 'type', 'published_date', 'last_updated']);

/** The `sort` enum of `CombinedDevicesByFilter` (bare names). */
const DEVICE_SORT_FIELDS = new Set([
  '_all', 'agent_load_flags', 'agent_version', 'bios_manufacturer', 'bios_version', 'chassis_type', 'chassis_type_desc', 'cid',
  'cloud_service_compartment_id', 'config_id_base', 'config_id_build', 'config_id_platform', 'connection_ip',
  'connection_mac_address', 'cpu_signature', 'cpu_vendor', 'criticality', 'default_gateway_ip', 'deployment_type',
  'detection_suppression_status', 'device_id', 'device_policies.aidr.applied', 'device_policies.aidr.policy_id',
  'device_policies.aidr.policy_type', 'device_policies.airlock.applied', 'device_policies.airlock.policy_id',
  'device_policies.airlock.policy_type', 'device_policies.application-abuse-prevention.applied',
  'device_policies.application-abuse-prevention.policy_id', 'device_policies.application-abuse-prevention.policy_type',
  'device_policies.automox.applied', 'device_policies.automox.policy_id', 'device_policies.automox.policy_type',
  'device_policies.aws-verified-access.applied', 'device_policies.aws-verified-access.policy_id',
  'device_policies.aws-verified-access.policy_type', 'device_policies.browser-extension.applied',
  'device_policies.browser-extension.policy_id', 'device_policies.browser-extension.policy_type',
  'device_policies.cloud-ml.applied', 'device_policies.cloud-ml.policy_id', 'device_policies.cloud-ml.policy_type',
  'device_policies.consumer-subscription.applied', 'device_policies.consumer-subscription.policy_id',
  'device_policies.consumer-subscription.policy_type', 'device_policies.content-update.applied',
  'device_policies.content-update.policy_id', 'device_policies.content-update.policy_type',
  'device_policies.data-protection-cloud.applied', 'device_policies.data-protection-cloud.policy_id',
  'device_policies.data-protection-cloud.policy_type', 'device_policies.data-protection.applied',
  'device_policies.data-protection.policy_id', 'device_policies.data-protection.policy_type',
  'device_policies.device_control.applied', 'device_policies.device_control.policy_id',
  'device_policies.device_control.policy_type', 'device_policies.exposure-management.applied',
  'device_policies.exposure-management.policy_id', 'device_policies.exposure-management.policy_type',
  'device_policies.fem-browser-extension-control.applied', 'device_policies.fem-browser-extension-control.policy_id',
  'device_policies.fem-browser-extension-control.policy_type', 'device_policies.fim.applied', 'device_policies.fim.policy_id',
  'device_policies.fim.policy_type', 'device_policies.firewall.applied', 'device_policies.firewall.policy_id',
  'device_policies.firewall.policy_type', 'device_policies.firewall.rule_set_id', 'device_policies.host-retention.applied',
  'device_policies.host-retention.policy_id', 'device_policies.host-retention.policy_type',
  'device_policies.identity-endpoint.applied', 'device_policies.identity-endpoint.policy_id',
  'device_policies.identity-endpoint.policy_type', 'device_policies.identity-protection.applied',
  'device_policies.identity-protection.policy_id', 'device_policies.identity-protection.policy_type',
  'device_policies.it-automation.applied', 'device_policies.it-automation.policy_id',
  'device_policies.it-automation.policy_type', 'device_policies.jumpcloud.applied', 'device_policies.jumpcloud.policy_id',
  'device_policies.jumpcloud.policy_type', 'device_policies.kubernetes-admission-control.applied',
  'device_policies.kubernetes-admission-control.policy_id', 'device_policies.kubernetes-admission-control.policy_type',
  'device_policies.logscale-collector.applied', 'device_policies.logscale-collector.policy_id',
  'device_policies.logscale-collector.policy_type', 'device_policies.mobile.applied', 'device_policies.mobile.policy_id',
  'device_policies.mobile.policy_type', 'device_policies.netskope.applied', 'device_policies.netskope.policy_id',
  'device_policies.netskope.policy_type', 'device_policies.network-scan-content.applied',
  'device_policies.network-scan-content.policy_id', 'device_policies.network-scan-content.policy_type',
  'device_policies.prevention.applied', 'device_policies.prevention.policy_id', 'device_policies.prevention.policy_type',
  'device_policies.remote_response.applied', 'device_policies.remote_response.policy_id',
  'device_policies.remote_response.policy_type', 'device_policies.sca.applied', 'device_policies.sca.policy_id',
  'device_policies.sca.policy_type', 'device_policies.sensor_update.applied', 'device_policies.sensor_update.policy_id',
  'device_policies.sensor_update.policy_type', 'device_policies.sensor_update.uninstall_protection',
  'device_policies.system-tray.applied', 'device_policies.system-tray.policy_id', 'device_policies.system-tray.policy_type',
  'device_policies.vulnerability-management.applied', 'device_policies.vulnerability-management.policy_id',
  'device_policies.vulnerability-management.policy_type', 'device_policies.ztl.applied', 'device_policies.ztl.policy_id',
  'device_policies.ztl.policy_type', 'email', 'external_ip', 'filesystem_containment_status', 'first_login_timestamp',
  'first_login_user', 'first_seen', 'group_hash', 'groups', 'host_utc_offset', 'hostname', 'instance_id', 'internet_exposure',
  'k8s_cluster_git_version', 'k8s_cluster_id', 'k8s_cluster_version', 'k8s_node_uid', 'kernel_version', 'last_login_timestamp',
  'last_login_uid', 'last_login_user', 'last_login_user_sid', 'last_reboot', 'last_seen', 'license_activation_state',
  'linux_sensor_mode', 'local_ip', 'local_ip.raw', 'mac_address', 'machine_domain', 'major_version',
  'managed_apps.airlock.version', 'managed_apps.automox.version', 'managed_apps.aws-verified-access.version',
  'managed_apps.identity-protection.version', 'managed_apps.jumpcloud.version', 'managed_apps.netskope.version',
  'migration_completed_time', 'minor_version', 'modified_timestamp', 'os_build', 'os_product_name', 'os_version', 'ou',
  'platform_id', 'platform_name', 'pod_annotations', 'pod_host_ip4', 'pod_host_ip6', 'pod_hostname', 'pod_id', 'pod_ip4',
  'pod_ip6', 'pod_labels', 'pod_name', 'pod_namespace', 'pod_service_account_name', 'pointer_size', 'policies.applied',
  'policies.policy_id', 'policies.policy_type', 'policy_id', 'product_type', 'product_type_desc', 'reduced_functionality_mode',
  'release_group', 'rtr_state', 'safe_mode', 'serial_number', 'service_provider', 'service_provider_account_id', 'site_name',
  'status', 'system_manufacturer', 'system_product_name', 'tags', 'zone_group',
]);

/**
 * Spotlight: the definition's examples (updated_timestamp, closed_timestamp, rule.name, rule.recommendation_id)
 * and created_timestamp, a documented range field and the watermark every client sorts on.
 */
const VULNERABILITY_SORT_FIELDS = new Set(['created_timestamp', 'updated_timestamp', 'closed_timestamp', 'rule.name', 'rule.recommendation_id']);

/** The sandbox's order when nothing documents one: the stream's watermark, ascending. UNVERIFIED. */
function watermarkAscending(name: StreamName): { field: string; direction: SortDirection } {
  return { field: STREAMS[name].watermarkField, direction: 'asc' };
}

const IOC_CONTRACT: ListContract = {
  queryParams: ['filter', 'offset', 'limit', 'sort', 'after', 'from_parent'],
  booleanParams: ['from_parent'],
  enumParams: {},
  sortFields: IOC_SORT_FIELDS,
  bareSort: true,
  // No definition states the IOC default order: UNVERIFIED.
  defaultSort: watermarkAscending('iocs'),
  textSearch: null,
  resources: 'records',
};

/** Contracts by route path: every list route the sandbox serves has one. */
const CONTRACTS: ReadonlyMap<string, ListContract> = new Map<string, ListContract>([
  [
    STREAMS.alerts.path,
    {
      // Every PostCombinedAlertsV1 parameter travels in the JSON body; the definition has no query parameter.
      queryParams: [],
      booleanParams: [],
      enumParams: {},
      sortFields: ALERT_SORT_FIELDS,
      bareSort: false,
      // "By default all the results are sorted by the created_timestamp field in the descending order."
      defaultSort: { field: 'created_timestamp', direction: 'desc' },
      // The body definition names only after, filter, limit and sort; `q` in the body is UNVERIFIED (issue #13).
      textSearch: 'body',
      resources: 'records',
    },
  ],
  [
    STREAMS['alert-ids'].path,
    {
      queryParams: ['include_hidden', 'offset', 'limit', 'sort', 'filter', 'q'],
      booleanParams: ['include_hidden'],
      enumParams: {},
      sortFields: ALERT_SORT_FIELDS,
      bareSort: false,
      // The offset definition says "0 is the latest detection": newest first.
      defaultSort: { field: 'created_timestamp', direction: 'desc' },
      textSearch: 'query',
      resources: 'ids',
    },
  ],
  [STREAMS.iocs.path, IOC_CONTRACT],
  [IOC_IDS_PATH, { ...IOC_CONTRACT, resources: 'ids' }],
  [
    STREAMS['intel-indicators'].path,
    {
      queryParams: ['offset', 'limit', 'sort', 'filter', 'q', 'include_deleted', 'include_relations'],
      booleanParams: ['include_deleted', 'include_relations'],
      enumParams: {},
      sortFields: INTEL_SORT_FIELDS,
      bareSort: false,
      // `_marker` is the default sort (gofalcon's Next-Page documentation); its direction is UNVERIFIED.
      defaultSort: { field: '_marker', direction: 'asc' },
      textSearch: 'query',
      resources: 'records',
    },
  ],
  [
    STREAMS.hosts.path,
    {
      queryParams: ['offset', 'limit', 'sort', 'filter', 'fields'],
      booleanParams: [],
      enumParams: {},
      sortFields: DEVICE_SORT_FIELDS,
      bareSort: true,
      // "If not specified, the default sort will be device_id.asc."
      defaultSort: { field: 'device_id', direction: 'asc' },
      textSearch: null,
      resources: 'records',
    },
  ],
  [
    STREAMS['hosts-scroll'].path,
    {
      queryParams: ['offset', 'limit', 'sort', 'filter'],
      booleanParams: [],
      enumParams: {},
      // The scroll definition only gives examples (status.desc, hostname.asc) over the same device index
      // as the combined route, whose enum is the documented list of its fields.
      sortFields: DEVICE_SORT_FIELDS,
      bareSort: false,
      // Not documented for the scroll: UNVERIFIED.
      defaultSort: watermarkAscending('hosts-scroll'),
      textSearch: null,
      resources: 'ids',
    },
  ],
  [
    STREAMS.vulnerabilities.path,
    {
      // No `offset`: Spotlight pages by `after` only.
      queryParams: ['after', 'limit', 'sort', 'filter', 'facet'],
      booleanParams: [],
      // The sandbox's records always carry cve and host_info, whatever the facets.
      enumParams: { facet: ['host_info', 'remediation', 'cve', 'evaluation_logic'] },
      sortFields: VULNERABILITY_SORT_FIELDS,
      bareSort: false,
      // Not documented: UNVERIFIED.
      defaultSort: watermarkAscending('vulnerabilities'),
      textSearch: null,
      resources: 'records',
    },
  ],
]);

/** The contract of a list route; a route without one is a bug in the sandbox, not a bad request. */
export function listContract(path: string): ListContract {
  const contract = CONTRACTS.get(path);
  if (contract === undefined) throw new Error(`Failed to find the list contract of ${path}: every list route needs one in listContract.ts.`);
  return contract;
}
