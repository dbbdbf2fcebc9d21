/**
 * A JSON body as a tree that can hold what JSON.stringify cannot write: duplicate keys,
 * `__proto__` keys, raw bytes that are not UTF-8, lone surrogates, malformed text. The fuzzer
 * (test/e2e/http-fuzzing.e2e-spec.ts) mutates the tree of a valid body, then writes its bytes.
 */
export type JsonNode =
  | { kind: 'object'; entries: [key: Buffer, value: JsonNode][] }
  | { kind: 'array'; items: JsonNode[] }
  /** A scalar: its value (what typed mutations look at) and the bytes written for it. */
  | { kind: 'leaf'; value: unknown; bytes: Buffer };

const text = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');

export const leaf = (value: unknown, bytes: Buffer = text(value)): JsonNode => ({ kind: 'leaf', value, bytes });
export const rawLeaf = (bytes: Buffer | string): JsonNode => leaf(undefined, Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'utf8'));
export const keyBytes = (key: string) => text(key);

export function toTree(value: unknown): JsonNode {
  if (Array.isArray(value)) return { kind: 'array', items: value.map(toTree) };
  if (value !== null && typeof value === 'object') {
    return { kind: 'object', entries: Object.entries(value).map(([key, child]) => [keyBytes(key), toTree(child)]) };
  }
  return leaf(value);
}

export function toBytes(node: JsonNode): Buffer {
  if (node.kind === 'leaf') return node.bytes;
  if (node.kind === 'array') return Buffer.concat([Buffer.from('['), ...join(node.items.map(toBytes)), Buffer.from(']')]);
  return Buffer.concat([Buffer.from('{'), ...join(node.entries.map(([key, value]) => Buffer.concat([key, Buffer.from(':'), toBytes(value)]))), Buffer.from('}')]);
}

function join(parts: Buffer[]): Buffer[] {
  return parts.flatMap((part, i) => (i === 0 ? [part] : [Buffer.from(','), part]));
}

/** The key's text, or '?' once a mutation made it unreadable. */
export function keyName(bytes: Buffer): string {
  try {
    return String(JSON.parse(bytes.toString('utf8')));
  } catch {
    return '?';
  }
}

/** A place in the tree: the node there and how to put another one in its stead. */
export interface Slot {
  node: JsonNode;
  /** Dotted path, for messages. */
  path: string;
  /** The key under which it sits in its object, when it does. */
  key?: string;
  replace(next: JsonNode): void;
}

/** Every place in the tree, the root first. */
export function slotsOf(root: { body: JsonNode }): Slot[] {
  const slots: Slot[] = [];
  const visit = (node: JsonNode, path: string, replace: (next: JsonNode) => void, key?: string) => {
    slots.push({ node, path, key, replace });
    if (node.kind === 'object') {
      node.entries.forEach((entry, i) => {
        const name = keyName(entry[0]);
        visit(entry[1], `${path}.${name}`, (next) => { node.entries[i] = [entry[0], next]; }, name);
      });
    }
    if (node.kind === 'array') node.items.forEach((item, i) => visit(item, `${path}[${i}]`, (next) => { node.items[i] = next; }));
  };
  visit(root.body, '(body)', (next) => { root.body = next; });
  return slots;
}
