type Command = { schema?: unknown; operation?: unknown; constructor: { name: string } };
type Sender = { send(command: never, ...rest: never[]): Promise<unknown> };

/** The operation a command calls: from its schema (minified bundles rename the command classes). */
export function operationOf(command: Command): string {
  // The guard's own commands over lib/aws/signed-call.ts (lib/aws/ssm.ts) name their operation.
  if (typeof command.operation === 'string') return command.operation;
  const schema = command.schema;
  if (Array.isArray(schema) && typeof schema[2] === 'string') return schema[2];
  return command.constructor.name.replace(/Command$/, '');
}

const CALL = Symbol.for('release-guard.call');

/**
 * The same client, whose errors say which call failed (`codepipeline.RollbackStage`): a GuardFailed names the call,
 * and a person knows which permission, quota or service to look at.
 */
export function namingCalls<C extends Sender>(client: C, service: string): C {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver) as unknown;
      return async (command: Command, ...rest: unknown[]) => {
        try {
          return await (target.send as (c: unknown, ...r: unknown[]) => Promise<unknown>).call(
            target,
            command,
            ...rest,
          );
        } catch (error) {
          if (error instanceof Error && !(CALL in error)) {
            Object.defineProperty(error, CALL, { value: `${service}.${operationOf(command)}` });
          }
          throw error;
        }
      };
    },
  });
}

/** The call an error came from, when it came through `namingCalls`. */
export function callOf(error: unknown): string | undefined {
  return error instanceof Error && CALL in error
    ? String((error as Error & { [CALL]: unknown })[CALL])
    : undefined;
}
