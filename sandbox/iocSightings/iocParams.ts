import { isIP } from 'node:net';
import { IOC_DEVICES_MAX_LIMIT, isIocType, type IocType } from '../../functions/falcon/iocEndpoints.ts';
import { MESSAGES } from '../messages.ts';

export type IocParam<T> = { ok: true; value: T } | { ok: false; message: string };

const DOMAIN = /^(?=.{1,200}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/i;

/**
 * `type` and `value` as the swagger text of both endpoints describes them: sha256 is 64 hex digits, md5
 * 32, a domain 1 to 200 characters, ipv4 and ipv6 valid addresses. The refusal texts are UNVERIFIED.
 */
export function parseIndicator(q: URLSearchParams): IocParam<{ type: IocType; value: string }> {
  const type = q.get('type') ?? '';
  const value = q.get('value') ?? '';
  if (type === '') return { ok: false, message: MESSAGES.iocParamRequired('type') };
  if (!isIocType(type)) return { ok: false, message: MESSAGES.iocTypeInvalid(type) };
  if (value === '') return { ok: false, message: MESSAGES.iocParamRequired('value') };
  const problem = valueProblem(type, value);
  return problem === null ? { ok: true, value: { type, value } } : { ok: false, message: MESSAGES.iocValueInvalid(type, problem) };
}

function valueProblem(type: IocType, value: string): string | null {
  switch (type) {
    case 'sha256':
      return /^[0-9a-f]{64}$/i.test(value) ? null : 'a sha256 is 64 hex characters';
    case 'md5':
      return /^[0-9a-f]{32}$/i.test(value) ? null : 'an md5 is 32 hex characters';
    case 'domain':
      return DOMAIN.test(value) ? null : 'not a domain name of 1 to 200 characters';
    case 'ipv4':
      return isIP(value) === 4 ? null : 'not an IPv4 address';
    case 'ipv6':
      return isIP(value) === 6 ? null : 'not an IPv6 address';
  }
}

/** `limit` is a string in the spec; absent means the largest page. */
export function parseDeviceLimit(raw: string | null): IocParam<number> {
  if (raw === null || raw === '') return { ok: true, value: IOC_DEVICES_MAX_LIMIT };
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > IOC_DEVICES_MAX_LIMIT) return { ok: false, message: MESSAGES.invalidLimit(1, IOC_DEVICES_MAX_LIMIT) };
  return { ok: true, value };
}
