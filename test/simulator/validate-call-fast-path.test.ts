/**
 * The simulator checks every call with a fast path (simulator/validate-call.ts `conforms`) and builds the full
 * check's messages only when it refuses. The two must agree on every value, or a call AWS would refuse passes:
 * values built from each operation's own shapes, then mutated at random depth (wrong types, out-of-bound sizes,
 * values outside an enum, unknown and missing members), compared verdict for verdict.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import constraints from '../../simulator/api-constraints.json' with { type: 'json' };
import { fastAndFullVerdicts } from '../../simulator/validate-call';

type Shape = {
  type: string;
  members?: Record<string, string>;
  required?: string[];
  member?: string;
  key?: string;
  value?: string;
  enum?: string[];
  min?: number;
  max?: number;
};
const shapesOf = constraints.shapes as unknown as Record<string, Record<string, Shape>>;
const operations = Object.entries(
  constraints.operations as Record<string, { service: string; input: string; output?: string }>,
);

/** Odd values a mutation puts anywhere. */
const oddValue = fc.constantFrom<unknown>(
  null,
  undefined,
  0,
  -1,
  1.5,
  Number.NaN,
  '',
  'x',
  'x'.repeat(3000),
  'NOT_AN_ENUM_VALUE',
  true,
  [],
  {},
  { unknownMember: 1 },
  '2026-12-03T10:00:00Z',
  new Date(0),
  new Uint8Array(2),
);

/** A value of the shape (most sizes at their bounds), at most `depth` levels deep. */
function valueOf(shapes: Record<string, Shape>, name: string, depth: number): fc.Arbitrary<unknown> {
  const shape = shapes[name];
  if (!shape || depth <= 0) return oddValue;
  const size = (fallback: number) => Math.min(shape.max ?? fallback, Math.max(shape.min ?? 0, 1));
  switch (shape.type) {
    case 'structure': {
      const entries = Object.entries(shape.members ?? {});
      return fc.record(
        Object.fromEntries(entries.map(([member, s]) => [member, valueOf(shapes, s, depth - 1)])),
        { requiredKeys: shape.required ?? [] },
      );
    }
    case 'list':
      return fc.array(valueOf(shapes, shape.member!, depth - 1), { minLength: 0, maxLength: size(3) + 1 });
    case 'map':
      return fc.dictionary(
        fc.oneof(fc.constantFrom('k', 'Key', ''), fc.string({ maxLength: 4 })),
        valueOf(shapes, shape.value!, depth - 1),
        { maxKeys: size(2) + 1 },
      );
    case 'string':
      return shape.enum
        ? fc.oneof(fc.constantFrom(...shape.enum), fc.string({ maxLength: 3 }))
        : fc.oneof(
            fc.string({ minLength: 0, maxLength: 8 }),
            fc.constant('a'.repeat(Math.max(shape.min ?? 0, 1))),
            fc.constant('a'.repeat((shape.max ?? 8) + 1)),
          );
    case 'integer':
    case 'long':
    case 'float':
    case 'double':
      return fc.oneof(
        fc.integer({ min: (shape.min ?? -5) - 1, max: (shape.max ?? 5) + 1 }),
        fc.double({ noNaN: false }),
      );
    case 'boolean':
      return fc.oneof(fc.boolean(), oddValue);
    default:
      return fc.oneof(oddValue, fc.string({ maxLength: 4 }));
  }
}

/** The value with one place (the whole, a member, an item) replaced by an odd value, or left as it is. */
function mutated(value: unknown, path: number[], odd: unknown): unknown {
  if (path.length === 0 || value === null || typeof value !== 'object')
    return path.length === 0 ? odd : value;
  const [step, ...rest] = path;
  if (Array.isArray(value)) {
    if (value.length === 0) return value;
    const i = step! % value.length;
    return value.map((item, j) => (j === i ? mutated(item, rest, odd) : item));
  }
  const keys = Object.keys(value);
  if (keys.length === 0) return { ...value, unknownMember: odd };
  const key = keys[step! % keys.length]!;
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  if (step! % 7 === 6) delete copy[key];
  else copy[key] = mutated(copy[key], rest, odd);
  return copy;
}

let accepted = 0;
let compared = 0;

describe('the fast path of the simulated AWS validation', () => {
  it.each(operations)('agrees with the full check on values of %s', (call, op) => {
    const shapes = shapesOf[op.service]!;
    const [service = '', operation = ''] = call.split('.');
    for (const side of ['input', 'output'] as const) {
      const shapeName = op[side];
      if (!shapeName) continue;
      fc.assert(
        fc.property(
          valueOf(shapes, shapeName, 6),
          fc.option(fc.array(fc.nat(50), { maxLength: 5 }), { nil: undefined }),
          oddValue,
          (value, path, odd) => {
            const candidate = path === undefined ? value : mutated(value, path, odd);
            const { fast, full } = fastAndFullVerdicts(service, operation, side, candidate);
            compared++;
            if (full) accepted++;
            expect(fast, JSON.stringify(candidate)?.slice(0, 500)).toBe(full);
          },
        ),
        { numRuns: 300, seed: 20261203 },
      );
    }
  });

  it('refuses a union with none of its members set, as the full check does (the model has one: EvaluationCriteria)', () => {
    const answer = (criteria: object) => ({
      MetricAlarms: [{ AlarmName: 'a', EvaluationCriteria: criteria }],
    });
    expect(fastAndFullVerdicts('cloudwatch', 'DescribeAlarms', 'output', answer({}))).toEqual({
      fast: false,
      full: false,
    });
    expect(
      fastAndFullVerdicts('cloudwatch', 'DescribeAlarms', 'output', answer({ PromQLCriteria: {} })).fast,
    ).toBe(
      fastAndFullVerdicts('cloudwatch', 'DescribeAlarms', 'output', answer({ PromQLCriteria: {} })).full,
    );
  });

  it('compared accepted values as well as refused ones', () => {
    // Not only refusals: a good share of the generated values is valid, so both answers of the fast path count.
    expect(compared).toBeGreaterThan(10_000);
    console.info(`fast path: ${compared} values, ${accepted} valid`);
    expect(accepted).toBeGreaterThan(compared / 20);
  });
});
