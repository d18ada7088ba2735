import {
  InvalidParameterException,
  PaginationTokenExpiredException,
  type GetResourcesInput,
  type ResourceTagMapping,
} from '@aws-sdk/client-resource-groups-tagging-api';
import { ACCOUNT } from './aws-event';
import type { AlarmsModel } from './cloudwatch-world';
import { accountOf } from './cloudwatch-world';
import { page } from './paging';

const invalidParameter = (message: string) => new InvalidParameterException({ message, $metadata: {} });
const expiredToken = (token: string) =>
  new PaginationTokenExpiredException({ message: `PaginationToken ${token} is not valid`, $metadata: {} });

/**
 * The Resource Groups Tagging API over the world's CloudWatch alarms (the only taggable resources it has):
 * GetResources as AWS answers it — the caller's account only, tagged alarms only, filters AND'ed across keys and
 * OR'ed within one key's values (a key without values: any value), pages of at most 100 resources ordered by
 * ARN, and `PaginationToken: ''` on the last page.
 */
export function getResources(alarms: AlarmsModel, i: GetResourcesInput, account: string = ACCOUNT) {
  refuseInvalid(i);
  const types = i.ResourceTypeFilters ?? [];
  const alarmsWanted =
    types.length === 0 || types.includes('cloudwatch') || types.includes('cloudwatch:alarm');
  const filters = i.TagFilters ?? [];
  const matching: ResourceTagMapping[] = [...alarms.alarms.values()]
    .filter((a) => alarmsWanted && accountOf(a) === account && Object.keys(a.tags ?? {}).length > 0)
    .filter((a) => !i.ResourceARNList || i.ResourceARNList.includes(a.arn))
    .filter((a) =>
      filters.every(({ Key, Values }) => {
        const value = a.tags?.[Key ?? ''];
        return value !== undefined && (!Values?.length || Values.includes(value));
      }),
    )
    .sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0))
    .map((a) => ({
      ResourceARN: a.arn,
      Tags: Object.entries(a.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
    }));
  const { items, next } = page(
    matching,
    'GetResources',
    i.ResourcesPerPage,
    i.PaginationToken || undefined,
    alarms.pageSizes,
    expiredToken,
  );
  return { ResourceTagMappingList: items, PaginationToken: next ?? '' };
}

/** What the model's shapes cannot say (api-constraints.json has no bounds for these), AWS refuses. */
function refuseInvalid(i: GetResourcesInput): void {
  if (i.ResourcesPerPage !== undefined && (i.ResourcesPerPage < 1 || i.ResourcesPerPage > 100))
    throw invalidParameter('ResourcesPerPage must be between 1 and 100');
  if (i.TagsPerPage !== undefined && (i.TagsPerPage < 100 || i.TagsPerPage > 500))
    throw invalidParameter('TagsPerPage must be between 100 and 500');
  if (i.ResourceARNList && (i.TagFilters || i.ResourceTypeFilters || i.PaginationToken || i.ResourcesPerPage))
    throw invalidParameter('ResourceARNList cannot be combined with filters or pagination parameters');
  if ((i.ResourceTypeFilters?.length ?? 0) > 100) throw invalidParameter('at most 100 ResourceTypeFilters');
}
