import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runScenario } from '../../simulator/run-scenario';
import { loadScenario } from '../../simulator/scenario';
import { modelledErrors, validateOutput } from '../../simulator/validate-call';

/** One answer of the simulated AWS: what an operation returned, or what it threw. */
type Answer = { service: string; operation: string; output?: unknown; error?: unknown };
const answers: Answer[] = [];

// Every operation the world implements is wrapped, so each answer it gives reaches the check below.
vi.mock('../../simulator/world/fake-clients', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../simulator/world/fake-clients')>();
  type Operations = Parameters<typeof original.fakeClient>[2];
  return {
    ...original,
    fakeClient: (world: Parameters<typeof original.fakeClient>[0], service: string, operations: Operations) =>
      original.fakeClient(
        world,
        service,
        Object.fromEntries(
          Object.entries(operations).map(([operation, run]) => [
            operation,
            async (input: never) => {
              try {
                const output: unknown = await run(input);
                answers.push({ service, operation, output });
                return output;
              } catch (error) {
                answers.push({ service, operation, error });
                throw error;
              }
            },
          ]),
        ),
      ),
  };
});

/** AWS's common errors, which any operation may return and the models do not list per operation. */
const COMMON_ERRORS = new Set([
  'AccessDeniedException',
  // The query-protocol services' name for it (STS AssumeRole refused: the role, its trust or the external id).
  'AccessDenied',
  'InternalFailure',
  'ServiceUnavailable',
  'ThrottlingException',
  'ValidationError',
  'ValidationException',
]);

const root = join(import.meta.dirname, '../../simulator/scenarios');
const scenarioFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? scenarioFiles(join(dir, entry.name))
      : entry.name.endsWith('.yml')
        ? [join(dir, entry.name)]
        : [],
  );

/** What AWS would not have answered: members, types, enums and bounds off the model, or an unlisted error. */
function unfaithful(answer: Answer): string[] {
  const { service, operation } = answer;
  if (!('error' in answer)) return validateOutput(service, operation, answer.output);
  const name = answer.error instanceof Error ? answer.error.name : typeof answer.error;
  if (modelledErrors(service, operation).includes(name) || COMMON_ERRORS.has(name)) return [];
  const message = answer.error instanceof Error ? answer.error.message : String(answer.error);
  return [`${service}.${operation} threw ${name} (${message}), not an error its model lists`];
}

describe('the simulated AWS answers as the service models say', () => {
  it('every response and error of every shipped scenario fits the operation model', async () => {
    // Prepare
    const files = scenarioFiles(root);
    expect(files.length).toBeGreaterThan(40);
    const problems = new Map<string, string>();

    // Act
    for (const file of files) {
      answers.length = 0;
      await runScenario(loadScenario(file));
      for (const answer of answers) {
        for (const problem of unfaithful(answer)) problems.set(problem, relative(root, file));
      }
      expect(answers.length, `${file} made no AWS call`).toBeGreaterThan(0);
    }

    // Assess
    expect([...problems].map(([problem, file]) => `${file}: ${problem}`)).toEqual([]);
  }, 120_000);

  it('fails an answer off the model: an unknown member, a wrong type, an enum value, an unlisted error', () => {
    const wrong: Answer[] = [
      {
        service: 'cloudwatch',
        operation: 'DescribeAlarms',
        output: { MetricAlarms: [{ AlarmName: 'a', State: 'OK' }] },
      },
      { service: 'cloudwatch', operation: 'DescribeAlarms', output: { MetricAlarms: [{ AlarmName: 1 }] } },
      {
        service: 'codepipeline',
        operation: 'ListPipelineExecutions',
        output: { pipelineExecutionSummaries: [{ status: 'Done' }] },
      },
      {
        service: 'codepipeline',
        operation: 'StartPipelineExecution',
        error: Object.assign(new Error('busy'), { name: 'UnableToRollbackStageException' }),
      },
    ];
    expect(wrong.map((a) => unfaithful(a).length)).toEqual([1, 1, 1, 1]);
  });
});
