import { parseStrictJson, StrictJsonError, type StrictJsonCode } from './strict-json';

const codeOf = (text: string, maxDepth?: number): StrictJsonCode | 'ok' => {
  try {
    parseStrictJson(text, maxDepth);
    return 'ok';
  } catch (error) {
    if (error instanceof StrictJsonError) return error.code;
    throw error;
  }
};
const nested = (levels: number, open = '{"a":', close = '}', inner = '1') => open.repeat(levels) + inner + close.repeat(levels);

describe('parseStrictJson', () => {
  it('parses what JSON.parse parses, to the same value', () => {
    const texts = [
      '{}', '[]', ' { "a" : [1, -2.5e+3, 0, true, false, null, "x"] } ', '{"a":{"b":{"c":[{"d":"e"}]}}}',
      '{"s":"\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00 é 😀"}', '[{"a":1},{"a":2}]', '{"constructorX":1,"proto":2,"__proto":3}',
    ];
    for (const text of texts) expect(parseStrictJson(text)).toEqual(JSON.parse(text));
  });

  it.each([
    ['a scalar top level', '"x"'], ['a number top level', '1'], ['empty text', ''], ['a trailing comma', '{"a":1,}'],
    ['an unterminated object', '{"a": '], ['single quotes', "{'a':1}"], ['a leading zero', '[01]'], ['a bare minus', '[-]'],
    ['a control character in a string', '{"a":"x\ny"}'], ['an invalid escape', '{"a":"\\x"}'], ['a short \\u escape', '{"a":"\\u12"}'],
    ['text after the value', '{} {}'], ['an unquoted key', '{a:1}'], ['NaN', '[NaN]'], ['a missing colon', '{"a" 1}'],
    ['an unterminated string', '{"a":"x'], ['a hexadecimal number', '[0x1]'],
  ])('MALFORMED_JSON for %s', (_label, text) => {
    expect(codeOf(text)).toBe('MALFORMED_JSON');
  });

  it('BODY_TOO_DEEP beyond the limit (64 by default), for objects and arrays, never a stack overflow', () => {
    expect(codeOf(nested(64))).toBe('ok');
    expect(codeOf(nested(65))).toBe('BODY_TOO_DEEP');
    expect(codeOf(nested(64, '[', ']'))).toBe('ok');
    expect(codeOf(nested(65, '[', ']'))).toBe('BODY_TOO_DEEP');
    expect(codeOf(nested(1_500))).toBe('BODY_TOO_DEEP');
    expect(codeOf(nested(1_000_000, '['))).toBe('BODY_TOO_DEEP');
    expect(codeOf(nested(3), 2)).toBe('BODY_TOO_DEEP');
    expect(codeOf(nested(2), 2)).toBe('ok');
  });

  it.each([
    ['a lone high surrogate in a value', '{"description":"x\\ud800"}'],
    ['a lone low surrogate in a value', '{"description":"\\udc00x"}'],
    ['a high surrogate followed by a non-surrogate escape', '{"a":"\\ud800\\u0041"}'],
    ['two high surrogates', '{"a":"\\ud800\\ud800"}'],
    ['reversed surrogates', '{"a":"\\udc00\\ud800"}'],
    ['a lone surrogate in a key', '{"k\\udbff":1}'],
    ['a lone surrogate deep in an array', '{"a":[1,{"b":["\\uD800"]}]}'],
    ['a lone surrogate as a raw character', '{"a":"x\ud800"}'],
  ])('INVALID_UNICODE for %s', (_label, text) => {
    expect(codeOf(text)).toBe('INVALID_UNICODE');
  });

  it.each([
    ['__proto__', '{"__proto__":{"admin":true}}'], ['constructor', '{"a":{"constructor":{"prototype":{}}}}'],
    ['prototype', '[{"prototype":1}]'], ['__proto__ spelt with escapes', '{"\\u005f_proto__":{}}'],
  ])('FORBIDDEN_KEY for %s', (_label, text) => {
    expect(codeOf(text)).toBe('FORBIDDEN_KEY');
  });

  it.each([
    ['at the top level', '{"a":1,"a":2}'], ['nested', '{"x":{"b":1,"c":2,"b":3}}'],
    ['once unescaped', '{"a":1,"\\u0061":2}'], ['inside an array item', '[{"a":1},{"a":1,"a":1}]'],
  ])('DUPLICATE_KEY %s', (_label, text) => {
    expect(codeOf(text)).toBe('DUPLICATE_KEY');
  });

  it('the same key in sibling or nested objects is no duplicate', () => {
    expect(codeOf('{"a":{"a":{"a":1}},"b":[{"a":1},{"a":2}]}')).toBe('ok');
  });

  it('the first problem in the text gives the code', () => {
    expect(codeOf('{"__proto__":1,"a":"\\ud800"}')).toBe('FORBIDDEN_KEY');
    expect(codeOf('{"a":"\\ud800","a":1}')).toBe('INVALID_UNICODE');
  });
});
