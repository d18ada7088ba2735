import { afterEach, describe, expect, it, vi } from 'vitest';
import { EndpointCache } from '../../lib/aws/endpoint-cache';

describe('the endpoint cache bundled in place of @aws-sdk/endpoint-cache', () => {
  afterEach(() => vi.useRealTimers());

  it('returns live endpoints and forgets them when they expire', () => {
    // Prepare
    vi.useFakeTimers({ now: new Date('2026-11-27T10:00:00Z') });
    const cache = new EndpointCache(10);

    // Act
    cache.set('dynamodb', [{ Address: 'a.example', CachePeriodInMinutes: 2 }]);

    // Assess
    expect(cache.has('dynamodb')).toBe(true);
    expect(cache.getEndpoint('dynamodb')).toBe('a.example');
    vi.advanceTimersByTime(2 * 60_000);
    expect(cache.get('dynamodb')).toBeUndefined();
    expect(cache.has('dynamodb')).toBe(false);
    expect(cache.getEndpoint('dynamodb')).toBeUndefined();
  });

  it('keeps at most `capacity` keys, dropping the least recently set', () => {
    const cache = new EndpointCache(2);

    cache.set('a', [{ Address: 'a' }]);
    cache.set('b', [{ Address: 'b' }]);
    cache.set('a', [{ Address: 'a2' }]);
    cache.set('c', [{ Address: 'c' }]);

    expect(cache.has('b')).toBe(false);
    expect(cache.getEndpoint('a')).toBe('a2');
    expect(cache.getEndpoint('c')).toBe('c');
  });

  it('deletes and clears', () => {
    const cache = new EndpointCache(5);
    cache.set('a', [{ Address: 'a' }]);
    cache.set('b', [{ Address: 'b' }]);

    cache.delete('a');
    expect(cache.has('a')).toBe(false);
    cache.clear();
    expect(cache.has('b')).toBe(false);
  });
});
