import { wellFormed } from '../../events/aws-shapes';

/**
 * A copy of `value` whose every string is well-formed UTF-16: a lone surrogate (which only a garbled producer
 * sends) becomes U+FFFD, so `encodeURIComponent` in the console links cannot throw and Slack gets valid text.
 */
export function wellFormedDeep<T>(value: T): T {
  if (typeof value === 'string') return wellFormed(value) as T;
  if (Array.isArray(value)) return value.map(wellFormedDeep) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, field]) => [wellFormed(key), wellFormedDeep(field)]),
    ) as T;
  }
  return value;
}
