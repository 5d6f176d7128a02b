import type { StreamName } from '../../functions/falcon/streams.ts';

/** The record collections behind the streams; `alerts` feeds both `alerts` and `alert-ids`. */
export const DATASET_NAMES = ['alerts', 'iocs', 'intel', 'hosts', 'vulnerabilities'] as const;

export type DatasetName = (typeof DATASET_NAMES)[number];

export const DEFAULT_DATASET_SIZES: Readonly<Record<DatasetName, number>> = {
  alerts: 25_000,
  iocs: 15_000,
  intel: 60_000,
  hosts: 12_000,
  vulnerabilities: 20_000,
};

export const DATASET_OF_STREAM: Readonly<Record<StreamName, DatasetName>> = {
  alerts: 'alerts',
  'alert-ids': 'alerts',
  iocs: 'iocs',
  'intel-indicators': 'intel',
  hosts: 'hosts',
  'hosts-scroll': 'hosts',
  vulnerabilities: 'vulnerabilities',
};

/** The stream whose catalog entry names the dataset's id and watermark fields. */
export const KEY_STREAM_OF_DATASET: Readonly<Record<DatasetName, StreamName>> = {
  alerts: 'alerts',
  iocs: 'iocs',
  intel: 'intel-indicators',
  hosts: 'hosts',
  vulnerabilities: 'vulnerabilities',
};

export function isDatasetName(value: string): value is DatasetName {
  return (DATASET_NAMES as readonly string[]).includes(value);
}
