import type { Random } from '../../model-based/random';
import { type JsonNode, type Slot, keyBytes, keyName, leaf, rawLeaf, slotsOf, toBytes, toTree } from './json-text';

/**
 * Mutations of a JSON body that no route may accept, whatever the state of the ledger: each one
 * breaks the JSON text, its encoding, or a type or format that validation checks before anything
 * is decided (null anywhere, a wrong type, a malformed amount or date, a missing required field,
 * an unknown field). The fuzzer (test/e2e/http-fuzzing.e2e-spec.ts) applies at least one of
 * them to every command of its refused phase, so that any 2xx there is a bug by itself.
 */
export interface BodySchema {
  /** Required top-level fields (from the OpenAPI document). */
  required: readonly string[];
  /** Every top-level field the route knows. */
  properties: readonly string[];
}

export type Root = { body: JsonNode };

export const MONEY_TEXT = /^[0-9]+\.[0-9]{2}$/;
export const DATE_TEXT = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

/** Amounts M1 refuses: exponents, beyond 10^15, negative, three decimals, other digits, blanks. */
const BAD_AMOUNTS = [
  '1e309', '123456789012345678901234.567', '1000000000000000.00', '-5.00', '1.001', '0x10', ' 1.00', '1.00 ', '1,00', 'Infinity', 'NaN', '', '1e2',
  '+1.00', '00.10', '٣.٠٠', '１.００', '1.', '.5', '-0.00',
];
/** Dates M2 or M4 refuse. */
const BAD_DATES = [
  '2021-02-30', '2020-13-01', '2020-00-10', '2020-1-1', '2020-05-11T00:00:00Z', '+002020-05-11', '99999-01-01', '2020-05-11 ', '２０２０-05-11',
  '0000-00-00', '', '2999-01-01', '20200511', '2020/05/11',
];
/** Number literals JSON.stringify cannot write: the raw text is sent. */
const RAW_NUMBERS = ['1e309', '-1e309', '123456789012345678901234.567', '1E400', '0.1e-400', '-0'];
const STRING_REPLACEMENTS: (() => JsonNode)[] = [
  () => leaf(0), () => leaf(-1), () => leaf(1.5), () => leaf(true), () => leaf(false), () => toTree([]), () => toTree({}), () => toTree(['x']),
  ...RAW_NUMBERS.map((raw) => () => rawLeaf(raw)),
];
const NUMBER_REPLACEMENTS: (() => JsonNode)[] = [
  () => leaf('1'), () => leaf(''), () => leaf('0x1'), () => leaf(true), () => toTree([]), () => toTree({}), () => leaf(1.5), () => leaf(-0.5),
  () => rawLeaf('1e309'), () => rawLeaf('-1e309'), () => rawLeaf('1.0000000000000001e-300'),
];
const BOOLEAN_REPLACEMENTS: (() => JsonNode)[] = [() => leaf('true'), () => leaf(1), () => leaf(0), () => toTree([]), () => toTree({}), () => leaf('')];

const FORBIDDEN_KEYS = ['"__proto__"', '"constructor"', '"prototype"', '"\\u005f_proto__"', '"constr\\u0075ctor"', '"proto\\u0074ype"'];
const UNKNOWN_KEYS = [
  'extra', 'isAdmin', 'id', 'position', 'type', 'conventionId', 'status', '$where', '',
  // Names every object (or the request class) already has: class-transformer used to drop them silently.
  'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', 'toLocaleString', '__defineGetter__', 'toCommand',
];

/** A JSON string's text with a lone surrogate (escaped) somewhere in it. */
const LONE_SURROGATES = ['\\ud800', '\\udfff', '\\udc00\\ud800', '\\ud83d\\u0041', '\\uDBFF'];
/** Bytes that are not UTF-8: a stray continuation, overlongs, an encoded surrogate, beyond U+10FFFF, a cut sequence. */
const INVALID_UTF8 = [[0xff], [0xfe], [0x80], [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf], [0xf4, 0x90, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82], [0xc3]];

/** A string leaf's JSON text with `inserted` (raw bytes) put inside its quotes. */
function insideString(node: JsonNode & { kind: 'leaf' }, inserted: Buffer, rng: Random): Buffer {
  const inner = node.bytes.subarray(1, node.bytes.length - 1);
  const at = rng.int(0, inner.length);
  // Never split an escape sequence: insert at the start or the end when the text has backslashes.
  const cut = inner.includes(0x5c) ? (rng.chance(0.5) ? 0 : inner.length) : at;
  return Buffer.concat([Buffer.from('"'), inner.subarray(0, cut), inserted, inner.subarray(cut), Buffer.from('"')]);
}

const isStringLeaf = (node: JsonNode): node is JsonNode & { kind: 'leaf' } => node.kind === 'leaf' && typeof node.value === 'string';

/** Mutates the body in place, breaking it for sure; returns what it did, or undefined when this kind does not apply. */
export type BreakingMutation = (root: Root, rng: Random, schema: BodySchema) => string | undefined;

const pick = <T>(rng: Random, items: readonly T[]): T | undefined => (items.length > 0 ? rng.pick(items) : undefined);

const nullAnywhere: BreakingMutation = (root, rng) => {
  const slot = rng.pick(slotsOf(root));
  slot.replace(leaf(null));
  return `null at ${slot.path}`;
};

/**
 * Values a mutation put in: another mutation leaves them alone, since a wrong type changed again
 * may be right once more (`"x"` to `true` to `"true"`).
 */
const MUTATED = new WeakSet<JsonNode>();

const wrongType: BreakingMutation = (root, rng) => {
  const slot = pick(rng, slotsOf(root).filter((s) => s.path !== '(body)' && !MUTATED.has(s.node)));
  if (!slot) return undefined;
  const node = slot.node;
  const choices = node.kind === 'array' ? [() => leaf('x'), () => toTree({}), () => leaf(1)]
    : node.kind === 'object' ? [() => toTree([]), () => leaf('x'), () => leaf(1)]
      : typeof node.value === 'string' ? STRING_REPLACEMENTS
        : typeof node.value === 'number' ? NUMBER_REPLACEMENTS
          : typeof node.value === 'boolean' ? BOOLEAN_REPLACEMENTS : [];
  if (choices.length === 0) return undefined;
  const next = rng.pick(choices)();
  MUTATED.add(next);
  slot.replace(next);
  return `wrong type at ${slot.path}: ${toBytes(next).toString('latin1')}`;
};

/** Replaces a string that looks like `shape` (an amount, a date) with one of `values`, which its rule refuses. */
const badText = (label: string, shape: RegExp, values: readonly string[]): BreakingMutation => (root, rng) => {
  const slot = pick(rng, slotsOf(root).filter((s) => isStringLeaf(s.node) && shape.test(s.node.value as string)));
  if (!slot) return undefined;
  const value = rng.pick(values);
  slot.replace(leaf(value));
  return `${label} ${JSON.stringify(value)} at ${slot.path}`;
};

const badAmount = badText('amount', MONEY_TEXT, BAD_AMOUNTS);
const badDate = badText('date', DATE_TEXT, BAD_DATES);

const missingRequired: BreakingMutation = (root, rng, schema) => {
  const body = root.body;
  if (body.kind !== 'object') return undefined;
  const name = pick(rng, schema.required.filter((field) => body.entries.some(([key]) => keyName(key) === field)));
  if (name === undefined) return undefined;
  // Every entry of that name goes, a duplicate spelt with an escape included.
  body.entries = body.entries.filter(([key]) => keyName(key) !== name);
  return `required ${name} left out`;
};

const unknownField: BreakingMutation = (root, rng, schema) => {
  if (root.body.kind !== 'object') return undefined;
  const key = rng.pick(UNKNOWN_KEYS.filter((k) => !schema.properties.includes(k)));
  root.body.entries.splice(rng.int(0, root.body.entries.length), 0, [keyBytes(key), toTree(rng.pick([1, 'x', true, {}, []]))]);
  return `unknown field ${JSON.stringify(key)}`;
};

const objectSlots = (root: Root) => slotsOf(root).filter((s): s is Slot & { node: JsonNode & { kind: 'object' } } => s.node.kind === 'object');

const forbiddenKey: BreakingMutation = (root, rng) => {
  const slot = pick(rng, objectSlots(root));
  if (!slot) return undefined;
  const key = rng.pick(FORBIDDEN_KEYS);
  slot.node.entries.splice(rng.int(0, slot.node.entries.length), 0, [Buffer.from(key), toTree(rng.pick([{ amount: '99999.00' }, {}, 'x', { prototype: {} }]))]);
  return `key ${key} in ${slot.path}`;
};

const duplicateKey: BreakingMutation = (root, rng) => {
  const slot = pick(rng, objectSlots(root).filter((s) => s.node.entries.length > 0));
  if (!slot) return undefined;
  const [key, value] = rng.pick(slot.node.entries);
  // The same name, spelt the same or with its first letter escaped.
  const name = keyName(key);
  const spelt = rng.chance(0.5) || name === '' ? key : Buffer.from(`"\\u${name.charCodeAt(0).toString(16).padStart(4, '0')}${JSON.stringify(name).slice(2)}`);
  slot.node.entries.push([spelt, rng.chance(0.5) ? value : toTree('other')]);
  return `duplicate key ${spelt.toString('utf8')} in ${slot.path}`;
};

const deepNesting: BreakingMutation = (root, rng) => {
  const slot = rng.pick(slotsOf(root));
  const levels = rng.pick([65, 66, 100, 1_000, 5_000]);
  const text = rng.chance(0.5) ? '['.repeat(levels) + ']'.repeat(levels) : '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
  slot.replace(rawLeaf(text));
  return `${levels} levels of nesting at ${slot.path}`;
};

const loneSurrogate: BreakingMutation = (root, rng) => {
  const strings = slotsOf(root).filter((s) => isStringLeaf(s.node));
  const objects = objectSlots(root).filter((s) => s.node.entries.length > 0);
  const escape = Buffer.from(rng.pick(LONE_SURROGATES));
  if (strings.length > 0 && (objects.length === 0 || rng.chance(0.7))) {
    const slot = rng.pick(strings);
    slot.replace(rawLeaf(insideString(slot.node as JsonNode & { kind: 'leaf' }, escape, rng)));
    return `lone surrogate ${escape.toString()} in ${slot.path}`;
  }
  const slot = pick(rng, objects);
  if (!slot) return undefined;
  const entry = rng.pick(slot.node.entries);
  entry[0] = insideString(leaf(undefined, entry[0]) as JsonNode & { kind: 'leaf' }, escape, rng);
  return `lone surrogate ${escape.toString()} in a key of ${slot.path}`;
};

const invalidUtf8: BreakingMutation = (root, rng) => {
  const bytes = Buffer.from(rng.pick(INVALID_UTF8));
  const strings = slotsOf(root).filter((s) => isStringLeaf(s.node));
  const objects = objectSlots(root).filter((s) => s.node.entries.length > 0);
  if (strings.length > 0 && (objects.length === 0 || rng.chance(0.7))) {
    const slot = rng.pick(strings);
    slot.replace(rawLeaf(insideString(slot.node as JsonNode & { kind: 'leaf' }, bytes, rng)));
    return `bytes ${bytes.toString('hex')} (not UTF-8) in ${slot.path}`;
  }
  const slot = pick(rng, objects);
  if (!slot) return undefined;
  const entry = rng.pick(slot.node.entries);
  entry[0] = insideString(leaf(undefined, entry[0]) as JsonNode & { kind: 'leaf' }, bytes, rng);
  return `bytes ${bytes.toString('hex')} (not UTF-8) in a key of ${slot.path}`;
};

const oversized: BreakingMutation = (root, rng) => {
  const slot = pick(rng, slotsOf(root).filter((s) => isStringLeaf(s.node)));
  if (!slot) return undefined;
  slot.replace(leaf('x'.repeat(rng.int(70_000, 120_000))));
  return `a string beyond the body limit at ${slot.path}`;
};

const notAnObject: BreakingMutation = (root, rng) => {
  const body = root.body;
  const next = rng.pick([() => toTree([]), () => ({ kind: 'array', items: [body] }) as JsonNode, () => leaf('x'), () => leaf(1), () => leaf(true), () => leaf(null), () => rawLeaf('')]);
  root.body = next();
  return `a body that is not an object: ${toBytes(root.body).toString('utf8').slice(0, 40)}`;
};

export const BREAKING_BODY_MUTATIONS: Record<string, BreakingMutation> = {
  nullAnywhere, wrongType, badAmount, badDate, missingRequired, unknownField, forbiddenKey, duplicateKey, deepNesting, loneSurrogate, invalidUtf8, oversized, notAnObject,
};

/** Text that is not JSON, made from the bytes of a body: cut, trailed, or with JSON5-isms. */
export function malformed(bytes: Buffer, rng: Random): { bytes: Buffer; what: string } {
  const result = malformedVariant(bytes, rng);
  // A variant that found nothing to change (no quote, no colon...) is cut short instead.
  return result.bytes.equals(bytes) ? { bytes: bytes.subarray(0, Math.max(0, bytes.length - 1)), what: 'cut short' } : result;
}

function malformedVariant(bytes: Buffer, rng: Random): { bytes: Buffer; what: string } {
  const text = bytes.toString('latin1');
  switch (rng.int(0, 6)) {
    case 0: return { bytes: bytes.subarray(0, rng.int(0, Math.max(0, bytes.length - 1))), what: 'cut short' };
    case 1: return { bytes: Buffer.concat([bytes, Buffer.from(rng.pick(['x', ',', '}', ']', '{}', '\u0000', ' 1']))]), what: 'trailing garbage' };
    case 2: return { bytes: Buffer.from(text.replace(/}$/, ',}'), 'latin1'), what: 'a trailing comma' };
    case 3: return { bytes: Buffer.from(text.replace(/"/g, "'"), 'latin1'), what: 'single quotes' };
    case 4: return { bytes: Buffer.from(text.replace(':', ':/* comment */'), 'latin1'), what: 'a comment' };
    case 5: return { bytes: Buffer.from(text.replace(/:"[0-9.]+"/, ':NaN'), 'latin1'), what: 'NaN' };
    default: return { bytes: Buffer.from(text.replace(/^\{/, '{,'), 'latin1'), what: 'a leading comma' };
  }
}
