/** The largest page each list operation returns (AWS's documented maximum), and its default when not asked. */
export const PAGE_LIMITS = {
  DescribeAlarms: { max: 100, default: 50 },
  DescribeAlarmHistory: { max: 100, default: 100 },
  ListSchedules: { max: 100, default: 100 },
  ListPipelineExecutions: { max: 100, default: 100 },
  // Resource Groups Tagging API: ResourcesPerPage 1–100; its default is not documented (moto's is 50).
  GetResources: { max: 100, default: 50 },
} as const;

export type PagedOperation = keyof typeof PAGE_LIMITS;

/** A scenario's `world.pageSizes`: AWS may return fewer items per page than asked, so a test can page early. */
export type PageSizes = Partial<Record<PagedOperation, number | undefined>>;

/** The world's list operations page at these sizes from now on. */
export function usePageSizes(
  world: {
    alarms: { pageSizes: PageSizes };
    schedules: { pageSizes: PageSizes };
    rollbacks: { pageSizes: PageSizes };
  },
  sizes: PageSizes = {},
): void {
  world.alarms.pageSizes = sizes;
  world.schedules.pageSizes = sizes;
  world.rollbacks.pageSizes = sizes;
}

/**
 * One page of `items` from the offset in `token`, as AWS pages: at most what the caller asked (capped at the
 * documented maximum) and at most the world's page size; `NextToken` only when more items follow.
 */
export function page<T>(
  items: readonly T[],
  operation: PagedOperation,
  asked: number | undefined,
  token: string | undefined,
  sizes: PageSizes,
  invalidToken: (token: string) => Error,
): { items: T[]; next?: string } {
  const limit = PAGE_LIMITS[operation];
  const size = Math.min(asked ?? limit.default, limit.max, sizes[operation] ?? limit.max);
  const from = token ? decodeToken(token, operation, invalidToken) : 0;
  const more = from + size < items.length;
  return {
    items: items.slice(from, from + size),
    next: more ? encodeToken(operation, from + size) : undefined,
  };
}

/** AWS's tokens are opaque; the world's carry the operation so a token from another list is refused. */
function encodeToken(operation: string, offset: number): string {
  return Buffer.from(`${operation}:${offset}`).toString('base64');
}

function decodeToken(token: string, operation: string, invalid: (token: string) => Error): number {
  const [op, offset] = Buffer.from(token, 'base64').toString().split(':');
  const n = Number(offset);
  if (op !== operation || !Number.isInteger(n) || n < 0) throw invalid(token);
  return n;
}
