/**
 * Amazon EventBridge event-pattern matching ("content filtering"), implemented in plain TypeScript so the
 * offline simulator routes events to handlers exactly as an event bus rule would.
 *
 * Semantics follow the EventBridge user guide (event patterns, comparison operators, null values) and the
 * behaviour of aws/event-ruler, the engine behind EventBridge:
 * - Every field named in the pattern must match (AND); a leaf lists alternatives (OR); `$or` (an array of at
 *   least two objects) ORs whole sub-patterns.
 * - A leaf is a non-empty array of matchers. Plain values match by JSON type and value: the string "1" does not
 *   equal the number 1, `null` matches only `null` (not "" and not a missing field), numbers compare
 *   numerically (300 equals 3.0e2).
 * - Arrays in the event are flattened: a leaf matches when any element matches. A nested pattern object is
 *   matched against each object of an event array separately ("array-consistent": two fields of one match must
 *   come from the same array element).
 * - Only leaves count as values: an event field holding an object (or an empty array, or only objects) does not
 *   exist for leaf matchers, so `exists: true` fails on it and `exists: false` matches it.
 * - String operators (`prefix`, `suffix`, `equals-ignore-case`, `wildcard`) only match string values;
 *   `numeric` only matches JSON numbers.
 * - `anything-but` matches any existing value except the excluded ones; values of another JSON type than the
 *   exclusion (a number against a string exclusion, `null`, booleans) are not excluded. It never matches a
 *   missing field.
 *
 * Invalid patterns (empty arrays or objects, scalar field values, unknown or malformed operators) throw an
 * `InvalidEventPatternError`, as PutRule would reject them. Not implemented: `cidr` (throws as unsupported).
 * Numbers are compared as IEEE doubles; EventBridge limits `numeric` to ±5e9 with 6 decimals, not enforced here.
 */

export type EventPattern = Record<string, unknown>;

export class InvalidEventPatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidEventPatternError';
  }
}

type JsonObject = Record<string, unknown>;

/** A compiled rule evaluated against one JSON object (or `undefined` when there is none at that path). */
type ObjectMatcher = (node: JsonObject | undefined) => boolean;

/** A compiled leaf operator: exists-style operators look at the whole list of leaf values of the field. */
type LeafMatcher =
  | { kind: 'exists'; exists: boolean }
  | { kind: 'value'; test: (leaf: unknown) => boolean }
  | { kind: 'anything-but'; excluded: (leaf: unknown) => boolean };

const NUMERIC_OPERATORS = new Set(['=', '<', '<=', '>', '>=']);

function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(path: string, message: string): never {
  throw new InvalidEventPatternError(`Invalid event pattern at "${path || '<root>'}": ${message}`);
}

function singleEntry(path: string, operator: JsonObject): [string, unknown] {
  const entries = Object.entries(operator);
  const [entry] = entries;
  if (entries.length !== 1 || entry === undefined) {
    fail(path, `a match expression must have exactly one key, got ${JSON.stringify(operator)}`);
  }
  return entry;
}

function expectString(path: string, name: string, value: unknown): string {
  if (typeof value !== 'string') fail(path, `${name} must be a string`);
  return value;
}

function expectStringOrStrings(path: string, name: string, value: unknown): string[] {
  const values = Array.isArray(value) ? value : [value];
  if (values.length === 0) fail(path, `${name} list must not be empty`);
  return values.map((v) => expectString(path, name, v));
}

const lower = (s: string): string => s.toLowerCase();
const sameIgnoringCase = (a: string, b: string): boolean =>
  lower(a) === lower(b) || a.toUpperCase() === b.toUpperCase();

/** Compiles `*` globs; `\*` is a literal asterisk, `\\` a literal backslash; `**` is rejected like EventBridge. */
function compileWildcard(path: string, glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob.charAt(i);
    if (c === '\\') {
      const next = glob.charAt(i + 1);
      if (next !== '*' && next !== '\\')
        fail(path, `wildcard "${glob}": a backslash may only escape * or \\`);
      source += `\\${next}`;
      i++;
    } else if (c === '*') {
      if (glob.charAt(i + 1) === '*') fail(path, `wildcard "${glob}": consecutive wildcard characters`);
      source += '[\\s\\S]*';
    } else {
      source += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`, 'u');
}

/** `prefix` / `suffix` accept a string or `{ "equals-ignore-case": string }`. */
function compileAffix(path: string, name: 'prefix' | 'suffix', value: unknown): (s: string) => boolean {
  let affix: string;
  let ignoreCase = false;
  if (isPlainObject(value)) {
    const [inner, innerValue] = singleEntry(path, value);
    if (inner !== 'equals-ignore-case') fail(path, `unsupported ${name} option "${inner}"`);
    affix = expectString(path, `${name} equals-ignore-case`, innerValue);
    ignoreCase = true;
  } else {
    affix = expectString(path, name, value);
  }
  if (ignoreCase) {
    const a = lower(affix);
    return name === 'prefix' ? (s) => lower(s).startsWith(a) : (s) => lower(s).endsWith(a);
  }
  return name === 'prefix' ? (s) => s.startsWith(affix) : (s) => s.endsWith(affix);
}

function compileNumeric(path: string, value: unknown): (n: number) => boolean {
  if (!Array.isArray(value) || (value.length !== 2 && value.length !== 4)) {
    fail(path, 'numeric must be [op, number] or [lowerOp, number, upperOp, number]');
  }
  const checks: ((n: number) => boolean)[] = [];
  for (let i = 0; i < value.length; i += 2) {
    const op: unknown = value[i];
    const operand: unknown = value[i + 1];
    if (typeof op !== 'string' || !NUMERIC_OPERATORS.has(op))
      fail(path, `bad numeric operator ${String(op)}`);
    if (typeof operand !== 'number' || !Number.isFinite(operand))
      fail(path, `value of ${op} must be numeric`);
    if (i === 2 && op !== '<' && op !== '<=') fail(path, `a numeric range must end with < or <=, got ${op}`);
    if (i === 0 && value.length === 4 && op !== '>' && op !== '>=') {
      fail(path, `a numeric range must start with > or >=, got ${op}`);
    }
    switch (op) {
      case '=':
        checks.push((n) => n === operand);
        break;
      case '<':
        checks.push((n) => n < operand);
        break;
      case '<=':
        checks.push((n) => n <= operand);
        break;
      case '>':
        checks.push((n) => n > operand);
        break;
      default:
        checks.push((n) => n >= operand);
    }
  }
  return (n) => checks.every((check) => check(n));
}

/** Returns the predicate "this leaf is excluded" for an `anything-but` operand. */
function compileAnythingBut(path: string, value: unknown): (leaf: unknown) => boolean {
  if (typeof value === 'string') return (leaf) => leaf === value;
  if (typeof value === 'number') return (leaf) => leaf === value;
  if (Array.isArray(value)) {
    if (value.length === 0) fail(path, 'anything-but list must not be empty');
    if (value.every((v) => typeof v === 'string')) {
      const set = new Set<unknown>(value);
      return (leaf) => typeof leaf === 'string' && set.has(leaf);
    }
    if (value.every((v) => typeof v === 'number')) {
      const set = new Set<unknown>(value);
      return (leaf) => typeof leaf === 'number' && set.has(leaf);
    }
    fail(path, 'anything-but list must hold only strings or only numbers');
  }
  if (isPlainObject(value)) {
    const [inner, innerValue] = singleEntry(path, value);
    let test: (s: string) => boolean;
    switch (inner) {
      case 'prefix':
      case 'suffix': {
        const affixes = expectStringOrStrings(path, `anything-but ${inner}`, innerValue);
        if (affixes.some((a) => a === '')) fail(path, `anything-but ${inner} must not be empty`);
        test =
          inner === 'prefix'
            ? (s) => affixes.some((a) => s.startsWith(a))
            : (s) => affixes.some((a) => s.endsWith(a));
        break;
      }
      case 'equals-ignore-case': {
        const values = expectStringOrStrings(path, 'anything-but equals-ignore-case', innerValue);
        test = (s) => values.some((v) => sameIgnoringCase(s, v));
        break;
      }
      case 'wildcard': {
        const globs = expectStringOrStrings(path, 'anything-but wildcard', innerValue).map((g) =>
          compileWildcard(path, g),
        );
        test = (s) => globs.some((g) => g.test(s));
        break;
      }
      default:
        fail(path, `unsupported anything-but operator "${inner}"`);
    }
    return (leaf) => typeof leaf === 'string' && test(leaf);
  }
  fail(path, 'anything-but must be a string, a number, a list or an operator object');
}

function compileLeafMatcher(path: string, item: unknown): LeafMatcher {
  if (item === null || typeof item === 'string' || typeof item === 'boolean') {
    return { kind: 'value', test: (leaf) => leaf === item };
  }
  if (typeof item === 'number') {
    return { kind: 'value', test: (leaf) => typeof leaf === 'number' && leaf === item };
  }
  if (!isPlainObject(item)) fail(path, `match values must be strings, numbers, booleans, null or objects`);

  const [operator, operand] = singleEntry(path, item);
  const onString = (test: (s: string) => boolean): LeafMatcher => ({
    kind: 'value',
    test: (leaf) => typeof leaf === 'string' && test(leaf),
  });
  switch (operator) {
    case 'exists':
      if (typeof operand !== 'boolean') fail(path, 'exists must be true or false');
      return { kind: 'exists', exists: operand };
    case 'prefix':
    case 'suffix':
      return onString(compileAffix(path, operator, operand));
    case 'equals-ignore-case': {
      const expected = expectString(path, operator, operand);
      return onString((s) => sameIgnoringCase(s, expected));
    }
    case 'wildcard': {
      const regex = compileWildcard(path, expectString(path, operator, operand));
      return onString((s) => regex.test(s));
    }
    case 'numeric': {
      const test = compileNumeric(path, operand);
      return { kind: 'value', test: (leaf) => typeof leaf === 'number' && test(leaf) };
    }
    case 'anything-but':
      return { kind: 'anything-but', excluded: compileAnythingBut(path, operand) };
    case 'cidr':
      return fail(path, 'the cidr operator is not supported by this simulator');
    default:
      fail(path, `unrecognized match type "${operator}"`);
  }
}

/** Own property only: a pattern key such as "constructor" must not see Object.prototype. */
function field(node: JsonObject | undefined, key: string): unknown {
  return node !== undefined && Object.hasOwn(node, key) ? node[key] : undefined;
}

/** Leaf values of a field: arrays are flattened, objects are not leaves, a missing field has none. */
function leafValues(value: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(value)) {
    for (const element of value) leafValues(element, out);
  } else if (value !== undefined && !isPlainObject(value)) {
    out.push(value);
  }
  return out;
}

/** Objects found at a path: an array contributes each (nested) object element. */
function objectValues(value: unknown, out: JsonObject[] = []): JsonObject[] {
  if (Array.isArray(value)) {
    for (const element of value) objectValues(element, out);
  } else if (isPlainObject(value)) {
    out.push(value);
  }
  return out;
}

function compileLeaf(path: string, items: unknown[]): (value: unknown) => boolean {
  if (items.length === 0) fail(path, 'empty arrays are not allowed');
  const matchers = items.map((item) => compileLeafMatcher(path, item));
  return (value) => {
    const leaves = leafValues(value);
    return matchers.some((m) => {
      switch (m.kind) {
        case 'exists':
          return m.exists === leaves.length > 0;
        case 'anything-but':
          return leaves.some((leaf) => !m.excluded(leaf));
        default:
          return leaves.some(m.test);
      }
    });
  };
}

function compileObject(path: string, pattern: JsonObject): ObjectMatcher {
  const entries = Object.entries(pattern);
  if (entries.length === 0) fail(path, 'empty objects are not allowed');
  const checks: ObjectMatcher[] = entries.map(([key, sub]) => {
    const subPath = path ? `${path}.${key}` : key;
    if (key === '$or') {
      if (!Array.isArray(sub) || sub.length < 2 || !sub.every(isPlainObject)) {
        fail(subPath, '$or must be an array of at least two objects');
      }
      const branches = sub.map((branch) => compileObject(path, branch));
      return (node) => branches.some((branch) => branch(node));
    }
    if (Array.isArray(sub)) {
      const leaf = compileLeaf(subPath, sub);
      return (node) => leaf(field(node, key));
    }
    if (isPlainObject(sub)) {
      const nested = compileObject(subPath, sub);
      return (node) => {
        const objects = objectValues(field(node, key));
        // No object at this path: every field below it is missing (only `exists: false` can match).
        if (objects.length === 0) return nested(undefined);
        return objects.some(nested);
      };
    }
    fail(subPath, 'a pattern value must be an object or an array');
  });
  return (node) => checks.every((check) => check(node));
}

/**
 * Validates and compiles a pattern once (throws `InvalidEventPatternError` if EventBridge would reject it);
 * use the returned predicate to test many events against the same rule.
 */
export function compilePattern(pattern: EventPattern): (event: unknown) => boolean {
  if (!isPlainObject(pattern)) fail('', 'the pattern must be a JSON object');
  const matcher = compileObject('', pattern);
  return (event) => matcher(isPlainObject(event) ? event : undefined);
}

/** True when `event` matches `pattern` as an EventBridge rule with that event pattern would. */
/** Patterns are compiled once per pattern object: the simulator matches the same rules against every event. */
const compiled = new WeakMap<EventPattern, (event: unknown) => boolean>();

export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  let match = compiled.get(pattern);
  if (!match) {
    match = compilePattern(pattern);
    compiled.set(pattern, match);
  }
  return match(event);
}
