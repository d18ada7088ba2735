/**
 * Replaces `@aws-sdk/endpoint-cache` in the Lambda bundles (serverless.yml `esbuild.alias`). The DynamoDB client
 * builds one for endpoint discovery, which the guard never turns on; the original's LRU library adds ~3 KiB to the
 * zip of every function that keeps a ledger. Same contract, on a Map (insertion order = eviction order).
 */
type Endpoint = { Address?: string; CachePeriodInMinutes?: number };
type EndpointWithExpiry = { Address: string; Expires: number };

export class EndpointCache {
  readonly #entries = new Map<string, EndpointWithExpiry[]>();

  constructor(private readonly capacity: number) {}

  getEndpoint(key: string): string | undefined {
    const live = this.get(key);
    return live?.[Math.floor(Math.random() * live.length)]?.Address;
  }

  get(key: string): EndpointWithExpiry[] | undefined {
    const now = Date.now();
    const live = this.#entries.get(key)?.filter((e) => now < e.Expires) ?? [];
    if (live.length === 0) {
      this.#entries.delete(key);
      return undefined;
    }
    return live;
  }

  set(key: string, endpoints: Endpoint[]): void {
    const now = Date.now();
    this.#entries.delete(key);
    this.#entries.set(
      key,
      endpoints.map((e) => ({
        Address: e.Address ?? '',
        Expires: now + (e.CachePeriodInMinutes ?? 1) * 60_000,
      })),
    );
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.capacity) break;
      this.#entries.delete(oldest);
    }
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  clear(): void {
    this.#entries.clear();
  }
}
