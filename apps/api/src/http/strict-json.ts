/**
 * A strict pass over a JSON text before JSON.parse builds it (docs/security.md, "Bodies"). It
 * follows the JSON grammar (RFC 8259) by recursive descent and refuses, with a stable code, what
 * JSON.parse would accept but the API must not:
 * - nesting deeper than `maxDepth` objects and arrays (`BODY_TOO_DEEP`), so that validation never
 *   overflows its stack;
 * - a lone UTF-16 surrogate written as an escape, in a key or a string (`INVALID_UNICODE`);
 * - the keys `__proto__`, `constructor` and `prototype` (`FORBIDDEN_KEY`);
 * - the same key twice in one object, compared once unescaped (`DUPLICATE_KEY`);
 * - anything else that is not JSON, or a top level that is not an object or an array
 *   (`MALFORMED_JSON`).
 */
export type StrictJsonCode = 'MALFORMED_JSON' | 'BODY_TOO_DEEP' | 'INVALID_UNICODE' | 'FORBIDDEN_KEY' | 'DUPLICATE_KEY';

export class StrictJsonError extends Error {
  constructor(
    readonly code: StrictJsonCode,
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
export const DEFAULT_MAX_DEPTH = 64;

/** Checks `text` (see above) and returns JSON.parse's value; throws a StrictJsonError. */
export function parseStrictJson(text: string, maxDepth = DEFAULT_MAX_DEPTH): unknown {
  new Scanner(text, maxDepth).document();
  return JSON.parse(text);
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

class Scanner {
  private i = 0;

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {}

  document(): void {
    this.whitespace();
    const first = this.text[this.i];
    if (first !== '{' && first !== '[') this.fail('MALFORMED_JSON', 'request body must be a JSON object or array');
    this.value(0);
    this.whitespace();
    if (this.i < this.text.length) this.fail('MALFORMED_JSON', 'unexpected text after the JSON value');
  }

  private value(depth: number): void {
    const c = this.text[this.i];
    if (c === '{') return this.object(depth + 1);
    if (c === '[') return this.array(depth + 1);
    if (c === '"') {
      this.string();
      return;
    }
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    for (const literal of ['true', 'false', 'null']) {
      if (this.text.startsWith(literal, this.i)) {
        this.i += literal.length;
        return;
      }
    }
    this.fail('MALFORMED_JSON', 'request body must be valid JSON');
  }

  private enter(depth: number): void {
    if (depth > this.maxDepth) this.fail('BODY_TOO_DEEP', `request body nests objects and arrays deeper than ${this.maxDepth} levels`);
    this.i++;
    this.whitespace();
  }

  private object(depth: number): void {
    const keys = new Set<string>();
    this.members(depth, '}', () => {
      if (this.text[this.i] !== '"') this.fail('MALFORMED_JSON', 'request body must be valid JSON');
      const at = this.i;
      const key = this.string();
      if (FORBIDDEN_KEYS.has(key)) this.fail('FORBIDDEN_KEY', `request body may not use the key "${key}"`, at);
      if (keys.has(key)) this.fail('DUPLICATE_KEY', `request body repeats the key "${key.slice(0, 64)}" in one object`, at);
      keys.add(key);
      this.whitespace();
      this.expect(':');
      this.whitespace();
      this.value(depth);
    });
  }

  private array(depth: number): void {
    this.members(depth, ']', () => this.value(depth));
  }

  /** An object's or an array's members, separated by commas, up to its closing character. */
  private members(depth: number, close: '}' | ']', member: () => void): void {
    this.enter(depth);
    if (this.text[this.i] === close) {
      this.i++;
      return;
    }
    for (;;) {
      member();
      this.whitespace();
      if (this.text[this.i] !== ',') break;
      this.i++;
      this.whitespace();
    }
    this.expect(close);
  }


  /** A string at `i` (on its opening quote); returns it unescaped. */
  private string(): string {
    const text = this.text;
    let out = '';
    this.i++;
    for (;;) {
      const code = text.charCodeAt(this.i);
      if (Number.isNaN(code)) this.fail('MALFORMED_JSON', 'request body has an unterminated string');
      if (code === 0x22) {
        this.i++;
        return out;
      }
      if (code < 0x20) this.fail('MALFORMED_JSON', 'request body has a control character in a string');
      if (code >= 0xd800 && code <= 0xdfff) {
        // Only reachable for a string that did not come from well-formed UTF-8 (the body is
        // decoded strictly first); checked anyway so the scanner stands on its own.
        const next = text.charCodeAt(this.i + 1);
        if (code > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) this.fail('INVALID_UNICODE', 'request body has a lone surrogate');
        out += text[this.i] + text[this.i + 1];
        this.i += 2;
        continue;
      }
      if (code !== 0x5c) {
        out += text[this.i];
        this.i++;
        continue;
      }
      const escape = text[this.i + 1];
      if (escape !== 'u') {
        const replacement = escape === undefined ? undefined : ESCAPES[escape];
        if (replacement === undefined) this.fail('MALFORMED_JSON', 'request body has an invalid escape in a string');
        out += replacement;
        this.i += 2;
        continue;
      }
      const unit = this.hex4(this.i + 2);
      this.i += 6;
      if (unit >= 0xdc00 && unit <= 0xdfff) this.fail('INVALID_UNICODE', 'request body has a lone surrogate (\\u escape)', this.i - 6);
      if (unit >= 0xd800 && unit <= 0xdbff) {
        if (text[this.i] !== '\\' || text[this.i + 1] !== 'u') this.fail('INVALID_UNICODE', 'request body has a lone surrogate (\\u escape)', this.i - 6);
        const low = this.hex4(this.i + 2);
        if (low < 0xdc00 || low > 0xdfff) this.fail('INVALID_UNICODE', 'request body has a lone surrogate (\\u escape)', this.i - 6);
        this.i += 6;
        out += String.fromCharCode(unit, low);
        continue;
      }
      out += String.fromCharCode(unit);
    }
  }

  private hex4(at: number): number {
    const digits = this.text.slice(at, at + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(digits)) this.fail('MALFORMED_JSON', 'request body has an invalid \\u escape', at);
    return parseInt(digits, 16);
  }

  private number(): void {
    NUMBER.lastIndex = this.i;
    const match = NUMBER.exec(this.text);
    if (!match) this.fail('MALFORMED_JSON', 'request body has an invalid number');
    this.i += match[0].length;
  }

  private whitespace(): void {
    const text = this.text;
    for (;;) {
      const c = text.charCodeAt(this.i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.i++;
      else return;
    }
  }

  private expect(char: string): void {
    if (this.text[this.i] !== char) this.fail('MALFORMED_JSON', 'request body must be valid JSON');
    this.i++;
  }

  private fail(code: StrictJsonCode, message: string, at = this.i): never {
    throw new StrictJsonError(code, message, at);
  }
}
