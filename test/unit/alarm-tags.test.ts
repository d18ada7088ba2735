import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  ListTagsForResourceCommand,
  type DescribeAlarmsCommandOutput,
} from '@aws-sdk/client-cloudwatch';
import {
  GetResourcesCommand,
  ResourceGroupsTaggingAPIClient,
  ThrottledException,
  type GetResourcesCommandInput,
  type ResourceTagMapping,
} from '@aws-sdk/client-resource-groups-tagging-api';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_TAGGED_ALARM_PAGES, MAX_TAGGED_ALARMS, tagFiltersOf } from '../../lib/aws/alarm-tags';
import { IncompleteAlarmReadError, makeAlarmReader } from '../../lib/aws/cloudwatch';

const REGION = { region: 'eu-west-1' };
const cloudWatch = mockClient(CloudWatchClient);
const tagging = mockClient(ResourceGroupsTaggingAPIClient);
beforeEach(() => {
  cloudWatch.reset();
  tagging.reset();
});

const arnOf = (name: string) => `arn:aws:cloudwatch:eu-west-1:222233334444:alarm:${name}`;
const names = Array.from({ length: 12 }, (_, i) => `leadout-dev-alarm-${String(i).padStart(2, '0')}`);
const described = (list: readonly string[]): Partial<DescribeAlarmsCommandOutput> => ({
  MetricAlarms: list.map((n) => ({ AlarmName: n, AlarmArn: arnOf(n), StateValue: 'OK' as const })),
});
const mapping = (name: string, tags: Record<string, string>): ResourceTagMapping => ({
  ResourceARN: arnOf(name),
  Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
});
const reader = () =>
  makeAlarmReader(new CloudWatchClient(REGION), new ResourceGroupsTaggingAPIClient(REGION));

describe('tagFiltersOf: a selector’s tags as GetResources filters', () => {
  it.each([
    [{ team: 'maps' }, [{ Key: 'team', Values: ['maps'] }]],
    [
      { team: 'maps', tier: 'api' },
      [
        { Key: 'team', Values: ['maps'] },
        { Key: 'tier', Values: ['api'] },
      ],
    ],
    // An empty value: the key alone (any or no value), the exact match is kept afterwards.
    [{ team: 'maps', muted: '' }, [{ Key: 'team', Values: ['maps'] }, { Key: 'muted' }]],
  ])('%j → %j', (tags, filters) => {
    expect(tagFiltersOf(tags)).toEqual(filters);
  });
});

describe('a tag selector reads its alarms’ tags with one paginated GetResources', () => {
  it('sends one GetResources (cloudwatch:alarm, the tag filters, 100 a page) and no ListTagsForResource', async () => {
    // Prepare
    cloudWatch.on(DescribeAlarmsCommand).resolves(described(names));
    tagging.on(GetResourcesCommand).resolves({
      ResourceTagMappingList: [
        mapping(names[4]!, { team: 'maps', tier: 'api' }),
        mapping(names[0]!, { team: 'maps' }),
        mapping('other-service-errors', { team: 'maps' }),
      ],
      PaginationToken: '',
    });

    // Act
    const picked = await reader().selectedAlarms({ namePrefix: 'leadout-dev-', tags: { team: 'maps' } });

    // Assess: DescribeAlarms' order, only alarms both list
    expect(picked.map((a) => a.name)).toEqual([names[0], names[4]]);
    expect(tagging.commandCalls(GetResourcesCommand).map((c) => c.args[0].input)).toEqual([
      {
        ResourceTypeFilters: ['cloudwatch:alarm'],
        TagFilters: [{ Key: 'team', Values: ['maps'] }],
        ResourcesPerPage: 100,
        PaginationToken: undefined,
      },
    ]);
    expect(cloudWatch.commandCalls(ListTagsForResourceCommand)).toHaveLength(0);
  });

  it('keeps only exact matches of what GetResources returns (an empty value is sent as the key alone)', async () => {
    // Prepare
    cloudWatch.on(DescribeAlarmsCommand).resolves(described(names));
    tagging.on(GetResourcesCommand).resolves({
      ResourceTagMappingList: [
        mapping(names[1]!, { team: 'maps', muted: '' }),
        mapping(names[2]!, { team: 'maps', muted: 'yes' }),
        mapping(names[3]!, { team: 'batch', muted: '' }),
      ],
    });

    // Act
    const picked = await reader().selectedAlarms({ tags: { team: 'maps', muted: '' } });

    // Assess
    expect(picked.map((a) => a.name)).toEqual([names[1]]);
  });

  it('follows PaginationToken until it is empty', async () => {
    // Prepare
    cloudWatch.on(DescribeAlarmsCommand).resolves(described(names));
    tagging
      .on(GetResourcesCommand)
      .resolvesOnce({ ResourceTagMappingList: [mapping(names[2]!, { team: 'maps' })], PaginationToken: 'p2' })
      .resolvesOnce({ ResourceTagMappingList: [mapping(names[7]!, { team: 'maps' })], PaginationToken: '' });

    // Act
    const picked = await reader().selectedAlarms({ tags: { team: 'maps' } });

    // Assess
    expect(picked.map((a) => a.name)).toEqual([names[2], names[7]]);
    expect(tagging.commandCalls(GetResourcesCommand).map((c) => c.args[0].input.PaginationToken)).toEqual([
      undefined,
      'p2',
    ]);
  });

  it('sends DescribeAlarms and GetResources together (one round trip, not one after the other)', async () => {
    // Prepare: neither answers until both were sent
    const sent: string[] = [];
    let release: () => void = () => undefined;
    const bothSent = new Promise<void>((resolve) => (release = resolve));
    const answerAfterBoth = async <T>(name: string, out: T): Promise<T> => {
      sent.push(name);
      if (sent.length === 2) release();
      await bothSent;
      return out;
    };
    cloudWatch.on(DescribeAlarmsCommand).callsFake(() => answerAfterBoth('DescribeAlarms', described(names)));
    tagging
      .on(GetResourcesCommand)
      .callsFake(() =>
        answerAfterBoth('GetResources', { ResourceTagMappingList: [mapping(names[5]!, { team: 'maps' })] }),
      );

    // Act
    const picked = await reader().selectedAlarms({ namePrefix: 'leadout-dev-', tags: { team: 'maps' } });

    // Assess
    expect(picked.map((a) => a.name)).toEqual([names[5]]);
    expect(sent.sort()).toEqual(['DescribeAlarms', 'GetResources']);
  });

  it('reads no tags for a selector by name alone, or with no tags in it', async () => {
    cloudWatch.on(DescribeAlarmsCommand).resolves(described(names));

    const byName = await reader().selectedAlarms({ namePrefix: 'leadout-dev-' });
    const emptyTags = await reader().selectedAlarms({ namePrefix: 'leadout-dev-', tags: {} });

    expect(byName).toHaveLength(names.length);
    expect(emptyTags).toHaveLength(names.length);
    expect(tagging.commandCalls(GetResourcesCommand)).toHaveLength(0);
  });

  it('fails as GetResources fails (throttled after the SDK’s attempts): no partial selection', async () => {
    cloudWatch.on(DescribeAlarmsCommand).resolves(described(names));
    tagging
      .on(GetResourcesCommand)
      .rejects(new ThrottledException({ message: 'Rate exceeded', $metadata: { attempts: 3 } }));

    await expect(reader().selectedAlarms({ tags: { team: 'maps' } })).rejects.toBeInstanceOf(
      ThrottledException,
    );
  });
});

describe('the tagged-alarm bound (fail closed, counted in alarms)', () => {
  /** Full pages of distinct tagged alarms, `pages` of them, the last one ending the list. */
  function fullPages(pages: number, last = 100) {
    let call = 0;
    tagging.on(GetResourcesCommand).callsFake((input: GetResourcesCommandInput) => {
      const n = ++call;
      expect(input.PaginationToken).toBe(n === 1 ? undefined : `page-${n}`);
      const size = n === pages ? last : 100;
      return {
        ResourceTagMappingList: Array.from({ length: size }, (_, i) =>
          mapping(`a-${n}-${i}`, { team: 'maps' }),
        ),
        PaginationToken: n === pages ? '' : `page-${n + 1}`,
      };
    });
  }

  it(`reads ${MAX_TAGGED_ALARMS} tagged alarms (5 full pages)`, async () => {
    cloudWatch.on(DescribeAlarmsCommand).resolves(described(names));
    fullPages(5);

    await expect(reader().selectedAlarms({ tags: { team: 'maps' } })).resolves.toEqual([]);
    expect(tagging.commandCalls(GetResourcesCommand)).toHaveLength(5);
  });

  it(`refuses ${MAX_TAGGED_ALARMS + 1}: IncompleteAlarmReadError, nothing decided on part of them`, async () => {
    cloudWatch.on(DescribeAlarmsCommand).resolves(described(names));
    fullPages(6, 1);

    const read = reader().selectedAlarms({ tags: { team: 'maps' } });

    await expect(read).rejects.toBeInstanceOf(IncompleteAlarmReadError);
    await expect(read).rejects.toThrow(`more than ${MAX_TAGGED_ALARMS} Dev alarms carry the selector's tags`);
    expect(tagging.commandCalls(GetResourcesCommand)).toHaveLength(6);
  });

  it(`stops after ${MAX_TAGGED_ALARM_PAGES} short pages, however few alarms they held`, async () => {
    cloudWatch.on(DescribeAlarmsCommand).resolves(described(names));
    tagging.on(GetResourcesCommand).resolves({ ResourceTagMappingList: [], PaginationToken: 'more' });

    await expect(reader().selectedAlarms({ tags: { team: 'maps' } })).rejects.toBeInstanceOf(
      IncompleteAlarmReadError,
    );
    expect(tagging.commandCalls(GetResourcesCommand)).toHaveLength(MAX_TAGGED_ALARM_PAGES);
  });
});
