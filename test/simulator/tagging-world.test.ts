import {
  GetResourcesCommand,
  InvalidParameterException,
  PaginationTokenExpiredException,
  type GetResourcesCommandInput,
  type GetResourcesCommandOutput,
} from '@aws-sdk/client-resource-groups-tagging-api';
import { describe, expect, it } from 'vitest';
import { fakeClients } from '../../simulator/world/services';
import { World } from '../../simulator/world/world';

const START = new Date('2026-11-27T09:00:00Z');
const OTHER_ACCOUNT = '222233334444';

function aWorld() {
  const world = new World(
    START,
    { name: 'bus', arn: 'arn:aws:events:us-east-1:111122223333:event-bus/bus' },
    {},
  );
  world.alarms.add({ name: 'dev-a', state: 'OK', tags: { team: 'maps', tier: 'api' } });
  world.alarms.add({ name: 'dev-b', state: 'ALARM', tags: { team: 'maps', tier: 'db' } });
  world.alarms.add({ name: 'dev-c', state: 'OK', tags: { team: 'batch' } });
  world.alarms.add({ name: 'dev-d', state: 'OK' });
  world.alarms.add({ name: 'dev-e', state: 'OK', account: OTHER_ACCOUNT, tags: { team: 'maps' } });
  const tagging = fakeClients(world).tagging;
  const get = (input: GetResourcesCommandInput) =>
    tagging.send(new GetResourcesCommand(input)) as Promise<GetResourcesCommandOutput>;
  return { world, get };
}

const names = (out: GetResourcesCommandOutput) =>
  (out.ResourceTagMappingList ?? []).map((m) => m.ResourceARN?.split(':alarm:')[1]);

describe('the Resource Groups Tagging API as AWS answers GetResources', () => {
  it.each([
    ['no filter: every tagged alarm of the account', [], ['dev-a', 'dev-b', 'dev-c']],
    ['one key, one value', [{ Key: 'team', Values: ['maps'] }], ['dev-a', 'dev-b']],
    ['values OR’ed within a key', [{ Key: 'tier', Values: ['api', 'db'] }], ['dev-a', 'dev-b']],
    [
      'keys AND’ed',
      [
        { Key: 'team', Values: ['maps'] },
        { Key: 'tier', Values: ['db'] },
      ],
      ['dev-b'],
    ],
    ['a key without values: any value', [{ Key: 'tier' }], ['dev-a', 'dev-b']],
  ])('%s', async (_, TagFilters, expected) => {
    const { get } = aWorld();

    const out = await get({ ResourceTypeFilters: ['cloudwatch:alarm'], TagFilters });

    expect(names(out)).toEqual(expected);
    expect(out.PaginationToken).toBe('');
  });

  it('returns all the tags of each alarm, and nothing for another resource type', async () => {
    const { get } = aWorld();

    const out = await get({ TagFilters: [{ Key: 'tier', Values: ['api'] }] });
    const none = await get({ ResourceTypeFilters: ['ec2:instance'] });

    expect(out.ResourceTagMappingList).toEqual([
      {
        ResourceARN: 'arn:aws:cloudwatch:us-east-1:111122223333:alarm:dev-a',
        Tags: [
          { Key: 'team', Value: 'maps' },
          { Key: 'tier', Value: 'api' },
        ],
      },
    ]);
    expect(none.ResourceTagMappingList).toEqual([]);
  });

  it('pages by ResourcesPerPage, ending with an empty PaginationToken', async () => {
    const { get } = aWorld();

    const first = await get({ ResourcesPerPage: 2 });
    const second = await get({ ResourcesPerPage: 2, PaginationToken: first.PaginationToken });

    expect(names(first)).toEqual(['dev-a', 'dev-b']);
    expect(first.PaginationToken).not.toBe('');
    expect(names(second)).toEqual(['dev-c']);
    expect(second.PaginationToken).toBe('');
  });

  it('refuses what AWS refuses: ResourcesPerPage outside 1–100, a token it did not give', async () => {
    const { get } = aWorld();

    await expect(get({ ResourcesPerPage: 101 })).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(get({ ResourcesPerPage: 0 })).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(get({ PaginationToken: 'not-a-token' })).rejects.toBeInstanceOf(
      PaginationTokenExpiredException,
    );
    await expect(
      get({ ResourceARNList: ['arn:aws:cloudwatch:us-east-1:111122223333:alarm:dev-a'], TagFilters: [] }),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it('answers an account its own alarms only (another account’s, only through its role)', async () => {
    const { world } = aWorld();
    const other = fakeClients(world, OTHER_ACCOUNT).tagging;

    const out = (await other.send(new GetResourcesCommand({}))) as GetResourcesCommandOutput;

    expect(names(out)).toEqual(['dev-e']);
  });
});
