import { assertValidCall } from '../validate-call';
import type { World } from './world';

type Command = { input: unknown; constructor: { name: string } };
type Operation = (input: never) => unknown;
export type FakeClient = { send(command: Command): Promise<never> };

/** AWS names its read operations with these verbs; every other operation changes something. */
const READ = /^(Get|List|Describe|BatchGet|Query|Scan)/;

/**
 * An AWS SDK v3 client stand-in: every command is checked against the API's constraints (as AWS would
 * reject it), recorded on the timeline, then answered by the world.
 */
export function fakeClient(world: World, service: string, operations: Record<string, Operation>): FakeClient {
  return {
    async send(command: Command): Promise<never> {
      const operation = command.constructor.name.replace(/Command$/, '');
      const input = command.input as Record<string, unknown>;
      const entry = {
        at: world.at(),
        kind: 'aws-call' as const,
        caller: world.caller,
        service,
        operation,
        write: !READ.test(operation),
        params: input,
      };
      world.record(entry);
      const run = operations[operation];
      try {
        if (!run) throw new Error(`simulator: ${service}.${operation} is not implemented`);
        assertValidCall(service, operation, input);
        return (await run(input as never)) as never;
      } catch (error) {
        Object.assign(entry, {
          error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        });
        throw error;
      }
    },
  };
}
