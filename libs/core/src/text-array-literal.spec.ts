import { copyJsonField, copyTextField, copyTextFields, textArrayLiteral } from '@joinedup/core';

/** What PostgreSQL's COPY text format reads a field back as. */
const unescape = (field: string) =>
  field.replace(/\\([\\tnr])/g, (_, c: string) => ({ t: '\t', n: '\n', r: '\r' })[c] ?? c);

describe('COPY text fields', () => {
  it('escapes backslash, tab and line breaks, and nothing else', () => {
    const value = 'a\\b\tc\nd\re "quoted" {x,y} Łukasz';
    expect(unescape(copyTextField(value))).toBe(value);
    expect(copyTextField('plain, {braced} "quoted"')).toBe('plain, {braced} "quoted"');
    expect(copyTextFields(['a\tb', 'c'])).toBe('a\\tb\tc');
  });

  it('writes JSON as COPY reads it back: its escapes kept, untouched when it has none', () => {
    const json = JSON.stringify(['O\\Brien', 'tab\there', 'say "hi"', 'line\nbreak']);
    expect(unescape(copyJsonField(json))).toBe(json);
    expect(copyJsonField(json)).toBe(copyTextField(json));
    expect(copyJsonField('["plain"]')).toBe('["plain"]');
  });

  it('quotes every value of a text array literal', () => {
    expect(textArrayLiteral(['a', 'b "c"', 'd\\e'])).toBe('{"a","b \\"c\\"","d\\\\e"}');
  });
});
