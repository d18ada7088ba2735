import { ConditionalCheckFailedException, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';

type Item = Record<string, unknown>;

/** Puts the names of `ExpressionAttributeNames` into an expression (`#state` → `state`); unknown names fail. */
export function withNames(
  expression: string | undefined,
  names: Record<string, string> | undefined,
): string | undefined {
  return expression?.replace(/#\w+/g, (token) => {
    const name = names?.[token];
    if (!name) throw new Error(`simulator DynamoDB: ${token} is not in ExpressionAttributeNames`);
    return name;
  });
}
const meta = { $metadata: {} };

/**
 * Just enough DynamoDB for the guard's tables: items by key, and the condition and update expressions the
 * guard writes (attribute_exists / attribute_not_exists / a = :v, a <> :v, a >= :v (and >, <, <=) joined by AND; SET a = :v, ...). Anything else
 * fails loudly, so a new expression in the code cannot pass the simulator by accident.
 */
export class TablesModel {
  readonly tables = new Map<string, Map<string, Item>>();

  constructor(private readonly keys: Record<string, string[]>) {}

  get(table: string, key: Record<string, AttributeValue>): Record<string, AttributeValue> | undefined {
    const item = this.table(table).get(this.keyOf(table, unmarshall(key)));
    return item ? marshall(item) : undefined;
  }

  put(table: string, item: Record<string, AttributeValue>, condition?: string): void {
    const plain = unmarshall(item);
    const k = this.keyOf(table, plain);
    this.check(condition, this.table(table).get(k));
    this.table(table).set(k, plain);
  }

  /** DeleteItem: the item by its key, under the same conditions as writes (a missing item is no error). */
  delete(
    table: string,
    key: Record<string, AttributeValue>,
    condition?: string,
    values?: Record<string, AttributeValue>,
  ): void {
    const k = this.keyOf(table, unmarshall(key));
    this.check(condition, this.table(table).get(k), values ? unmarshall(values) : {});
    this.table(table).delete(k);
  }

  update(
    table: string,
    key: Record<string, AttributeValue>,
    expression: string,
    values: Record<string, AttributeValue> | undefined,
    condition?: string,
  ): void {
    const plainKey = unmarshall(key);
    const k = this.keyOf(table, plainKey);
    const existing = this.table(table).get(k);
    const vals = values ? unmarshall(values) : {};
    this.check(condition, existing, vals);
    const set = /^SET (.+)$/.exec(expression.trim());
    if (!set) throw new Error(`simulator DynamoDB: unsupported update ${expression}`);
    const next: Item = { ...(existing ?? plainKey) };
    for (const part of set[1]!.split(',')) {
      const [name, value] = part.split('=').map((s) => s.trim());
      if (!name || !value || !(value in vals)) throw new Error(`simulator DynamoDB: unsupported SET ${part}`);
      next[name] = vals[value];
    }
    this.table(table).set(k, next);
  }

  /** Query of one partition (`<key> = :v`), with an optional filter the same conditions as writes understand. */
  /**
   * Query as DynamoDB answers it: the partition key's equality, optionally a sort-key condition (a comparison or
   * begins_with) on `executionId`, the table's sort key; items in sort-key order (`ScanIndexForward: false`
   * reverses it); `Limit` counts items read before the filter and ends the page with `LastEvaluatedKey`.
   */
  query(
    table: string,
    keyCondition: string,
    values: Record<string, AttributeValue> | undefined,
    filter?: string,
    options: { forward?: boolean; limit?: number; startKey?: Record<string, AttributeValue> } = {},
  ): {
    Items: Record<string, AttributeValue>[];
    Count: number;
    LastEvaluatedKey?: Record<string, AttributeValue>;
  } {
    const vals = values ? unmarshall(values) : {};
    const [partPart, sortPart] = keyCondition.trim().split(/\s+AND\s+/);
    const eq = /^(\w+) = (:\w+)$/.exec(partPart ?? '');
    if (!eq || !(eq[2]! in vals))
      throw new Error(`simulator DynamoDB: unsupported key condition ${keyCondition}`);
    const sortMatch = sortCondition(sortPart, vals);
    let items = [...this.table(table).values()]
      .filter((item) => item[eq[1]!] === vals[eq[2]!])
      .filter((item) => sortMatch(String(item.executionId ?? '')))
      // DynamoDB orders a string sort key by its UTF-8 bytes: code-unit order is the same for these keys.
      .sort((a, b) => (String(a.executionId) < String(b.executionId) ? -1 : 1));
    if (options.forward === false) items.reverse();
    if (options.startKey) {
      const after = String(unmarshall(options.startKey).executionId);
      const at = items.findIndex((item) => String(item.executionId) === after);
      items = at >= 0 ? items.slice(at + 1) : items;
    }
    const read = options.limit !== undefined ? items.slice(0, options.limit) : items;
    const more = options.limit !== undefined && items.length > options.limit;
    // A filter drops items without an error: most journal items fail the sweep's filter, and an SDK exception per item
    // (a stack trace each) was the largest single cost of a property run.
    const kept = read.filter((item) => this.satisfies(filter, item, vals));
    const last = read[read.length - 1];
    return {
      Items: kept.map((item) => marshall(item)),
      Count: kept.length,
      ...(more && last
        ? { LastEvaluatedKey: marshall({ pipeline: last.pipeline, executionId: last.executionId }) }
        : {}),
    };
  }

  private check(condition: string | undefined, existing: Item | undefined, values: Item = {}): void {
    if (!this.satisfies(condition, existing, values)) {
      throw new ConditionalCheckFailedException({ message: 'The conditional request failed', ...meta });
    }
  }

  /** Whether the item meets every clause of the condition (none: it does); an unsupported clause fails loudly. */
  private satisfies(condition: string | undefined, existing: Item | undefined, values: Item): boolean {
    if (!condition) return true;
    return condition.split(/\s+AND\s+/).every((clause) => this.holds(clause.trim(), existing, values));
  }

  private holds(clause: string, existing: Item | undefined, values: Item): boolean {
    const exists = /^(attribute_exists|attribute_not_exists)\((\w+)\)$/.exec(clause);
    if (exists) {
      const present = existing !== undefined && existing[exists[2]!] !== undefined;
      return (exists[1] === 'attribute_exists') === present;
    }
    const compare = /^(\w+) (=|<>|>=|<=|>|<) (:\w+)$/.exec(clause);
    if (!compare || !(compare[3]! in values))
      throw new Error(`simulator DynamoDB: unsupported condition ${clause}`);
    // As DynamoDB: a comparison with an attribute the item lacks is false, `<>` included.
    const have = existing?.[compare[1]!];
    const want = values[compare[3]!];
    if (have === undefined) return false;
    if (compare[2] === '=') return have === want;
    if (compare[2] === '<>') return have !== want;
    // Ordering compares values of one type (strings by code point, numbers by value); mixed types are false.
    if (typeof have !== typeof want || (typeof have !== 'string' && typeof have !== 'number')) return false;
    const [a, b] = [have as string | number, want as string | number];
    return compare[2] === '>=' ? a >= b : compare[2] === '<=' ? a <= b : compare[2] === '>' ? a > b : a < b;
  }

  private table(name: string): Map<string, Item> {
    if (!this.keys[name]) throw new Error(`simulator DynamoDB: no table ${name}`);
    let t = this.tables.get(name);
    if (!t) this.tables.set(name, (t = new Map()));
    return t;
  }

  private keyOf(table: string, item: Item): string {
    return JSON.stringify(this.keys[table]!.map((k) => item[k]));
  }
}

/** A sort-key condition on `executionId`: `executionId <op> :v` or `begins_with(executionId, :v)`; none: all. */
function sortCondition(
  clause: string | undefined,
  vals: Record<string, unknown>,
): (sortKey: string) => boolean {
  if (!clause) return () => true;
  const begins = /^begins_with\(executionId, (:\w+)\)$/.exec(clause.trim());
  if (begins && begins[1]! in vals) return (k) => k.startsWith(String(vals[begins[1]!]));
  const cmp = /^executionId (=|>=|<=|>|<) (:\w+)$/.exec(clause.trim());
  if (!cmp || !(cmp[2]! in vals))
    throw new Error(`simulator DynamoDB: unsupported sort key condition ${clause}`);
  const v = String(vals[cmp[2]!]);
  const ops: Record<string, (k: string) => boolean> = {
    '=': (k) => k === v,
    '>=': (k) => k >= v,
    '<=': (k) => k <= v,
    '>': (k) => k > v,
    '<': (k) => k < v,
  };
  return ops[cmp[1]!]!;
}
