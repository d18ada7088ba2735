import type { AssumeRoleRequest, AssumeRoleResponse } from '@aws-sdk/client-sts';
import {
  assumeRoleFailed,
  keptUntilExpiry,
  sessionName,
  type AccountTarget,
} from '../../lib/aws/assumed-role';
import { ACCOUNT } from './aws-event';
import { fakeClient, type FakeClient } from './fake-clients';
import type { FakeClients } from './services';
import type { World } from './world';

/** A role in another account that the guard may assume: with this external id, by these guard functions. */
export type RoleSpec = { arn: string; externalId: string; trusts?: string[] };

/** An account other than the guard's: its roles, and whether its forwarder stack sends events to the guard's bus. */
export type AccountSpec = { id: string; forwarder: boolean; roles: RoleSpec[] };

/** STS's refusal: the same for a role that does not exist, does not trust the caller, or wants another external id. */
class AccessDenied extends Error {
  override name = 'AccessDenied';
  readonly $fault = 'client';
  readonly $metadata = { httpStatusCode: 403 };
}

/** The command the SDK sends; fakeClient reads the operation from the class name. */
class AssumeRoleCommand {
  constructor(readonly input: AssumeRoleRequest) {}
}

/** STS AssumeRole as AWS answers it: the role must exist in its account, trust the caller, and match the external id. */
function assumeRole(world: World, input: AssumeRoleRequest): AssumeRoleResponse {
  const arn = input.RoleArn ?? '';
  const account = world.accounts.get(arn.split(':')[4] ?? '');
  const role = account?.roles.find((r) => r.arn === arn);
  const caller = world.caller;
  const trusted =
    role !== undefined &&
    role.externalId === input.ExternalId &&
    (role.trusts === undefined || role.trusts.includes(caller));
  if (!trusted) {
    throw new AccessDenied(
      `User: arn:aws:sts::${ACCOUNT}:assumed-role/leadout-release-guard-sim-${caller}/${caller} is not ` +
        `authorized to perform: sts:AssumeRole on resource: ${arn}`,
    );
  }
  const expiration = new Date(world.clock.nowMs() + (input.DurationSeconds ?? 3600) * 1000);
  return {
    Credentials: {
      AccessKeyId: `ASIASIM${world.ids().replace(/\W/g, '').slice(0, 12).toUpperCase()}`,
      SecretAccessKey: 'simulated',
      SessionToken: 'simulated',
      Expiration: expiration,
    },
    AssumedRoleUser: {
      Arn: `${arn}/${input.RoleSessionName}`,
      AssumedRoleId: `AROASIM:${input.RoleSessionName}`,
    },
  };
}

/**
 * The clients of one function instance in another account, as lib/aws/clients.ts builds them there: every call
 * first has credentials of the configured role (one STS AssumeRole per hour of virtual time, on the timeline, open
 * to fault steps as `sts.AssumeRole`), and a refusal is the same error, worded by lib/aws/assumed-role.ts.
 */
export function assumingRole(world: World, target: AccountTarget, clients: FakeClients): FakeClients {
  const sts = fakeClient(world, 'sts', { AssumeRole: (i: AssumeRoleRequest) => assumeRole(world, i) });
  const credentials = keptUntilExpiry(
    async () => {
      const out = (await sts.send(
        new AssumeRoleCommand({
          RoleArn: target.roleArn,
          ExternalId: target.externalId,
          RoleSessionName: sessionName(world.caller),
          DurationSeconds: 3600,
        }),
      )) as AssumeRoleResponse;
      const c = out.Credentials!;
      return {
        accessKeyId: c.AccessKeyId!,
        secretAccessKey: c.SecretAccessKey!,
        sessionToken: c.SessionToken,
        expiration: c.Expiration,
      };
    },
    (error) => assumeRoleFailed(target, error),
    () => world.clock.nowMs(),
  );
  const through = (client: FakeClient): FakeClient => ({
    async send(command) {
      await credentials();
      return client.send(command);
    },
  });
  return Object.fromEntries(
    Object.entries(clients).map(([service, client]) => [service, through(client)]),
  ) as FakeClients;
}
