import {
  GetResourcesCommand,
  type ResourceGroupsTaggingAPIClient,
  type TagFilter,
} from '@aws-sdk/client-resource-groups-tagging-api';
import { IncompleteAlarmReadError } from './alarm-read-error';

export type TaggingSender = Pick<ResourceGroupsTaggingAPIClient, 'send'>;

/** The most tagged alarms the guard reads for one selector: DescribeAlarms' bound (5 pages of 100). */
export const MAX_TAGGED_ALARMS = 500;
/** GetResources' largest page (ResourcesPerPage 1–100). */
export const TAGGED_ALARMS_PER_PAGE = 100;
/** AWS may answer short pages (even empty ones with a token): this many calls at most, whatever they hold. */
export const MAX_TAGGED_ALARM_PAGES = 2 * Math.ceil(MAX_TAGGED_ALARMS / TAGGED_ALARMS_PER_PAGE);

/**
 * GetResources' filters for a selector's tags: one filter per key (filters are AND'ed), that key's one value.
 * An empty value is sent as the key alone (any or no value, as AWS defines it), so an alarm tagged with an
 * empty value is never lost to how AWS compares empty strings; `carries` then keeps the exact matches.
 */
export function tagFiltersOf(tags: Readonly<Record<string, string>>): TagFilter[] {
  return Object.entries(tags).map(([Key, value]) => (value === '' ? { Key } : { Key, Values: [value] }));
}

export const carries = (tags: Readonly<Record<string, string>>, wanted: Readonly<Record<string, string>>) =>
  Object.entries(wanted).every(([k, v]) => tags[k] === v);

/**
 * The alarms of the client's account and Region that carry every tag of a selector, with all their tags, by ARN:
 * one paginated Resource Groups Tagging API `GetResources` (resource type `cloudwatch:alarm`) instead of one
 * `ListTagsForResource` per alarm. More than `MAX_TAGGED_ALARMS`, or more pages than `MAX_TAGGED_ALARM_PAGES`:
 * `IncompleteAlarmReadError` (deciding on part of them could miss an ALARM).
 */
export async function alarmsTagged(
  client: TaggingSender,
  wanted: Readonly<Record<string, string>>,
): Promise<Map<string, Record<string, string>>> {
  const tagged = new Map<string, Record<string, string>>();
  const TagFilters = tagFiltersOf(wanted);
  let PaginationToken: string | undefined;
  for (let page = 0; page < MAX_TAGGED_ALARM_PAGES; page++) {
    const out = await client.send(
      new GetResourcesCommand({
        ResourceTypeFilters: ['cloudwatch:alarm'],
        TagFilters,
        ResourcesPerPage: TAGGED_ALARMS_PER_PAGE,
        PaginationToken,
      }),
    );
    for (const mapping of out.ResourceTagMappingList ?? []) {
      if (!mapping.ResourceARN) continue;
      const tags = Object.fromEntries((mapping.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
      if (carries(tags, wanted)) tagged.set(mapping.ResourceARN, tags);
    }
    // The end is an empty token ('' as AWS answers it, or none).
    PaginationToken = out.PaginationToken || undefined;
    if (tagged.size > MAX_TAGGED_ALARMS)
      throw new IncompleteAlarmReadError(
        `more than ${MAX_TAGGED_ALARMS} Dev alarms carry the selector's tags`,
      );
    if (!PaginationToken) return tagged;
  }
  throw new IncompleteAlarmReadError(
    `more than ${MAX_TAGGED_ALARM_PAGES} pages of tagged Dev alarms (read ${tagged.size}, the bound is ${MAX_TAGGED_ALARMS})`,
  );
}
