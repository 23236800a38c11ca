import { decodeHTMLStrict } from 'entities';
import { HTML401_ENTITIES, filterBool, filterValidateInt, htmlentitiesCompat, intval } from './php';

describe("PHP's htmlentities($s, ENT_COMPAT)", () => {
  it.each([
    ["user_id does not exist for O'Hara limit.", "user_id does not exist for O'Hara limit."],
    ['Example: {"resource":[{"record":1}]}', 'Example: {&quot;resource&quot;:[{&quot;record&quot;:1}]}'],
    ['a & b < c > d', 'a &amp; b &lt; c &gt; d'],
    ['Limit: Zoë Øster — café', 'Limit: Zo&euml; &Oslash;ster &mdash; caf&eacute;'],
    ['€5 • 3×2 ≤ π', '&euro;5 &bull; 3&times;2 &le; &pi;'],
    ['already &amp; escaped', 'already &amp;amp; escaped'],
  ])('%s → %s', (text, encoded) => {
    expect(htmlentitiesCompat(text)).toBe(encoded);
  });

  it('leaves characters HTML 4.01 has no name for as they are', () => {
    expect(htmlentitiesCompat("Dvořák Erdős 東京 🙂 'x'")).toBe("Dvoř&aacute;k Erdős 東京 🙂 'x'");
  });

  it('names the 252 characters of HTML 4.01, each decoding back to itself', () => {
    // HTML5 moved &lang; and &rang; from U+2329/U+232A to the mathematical brackets; PHP's HTML 4.01 table did not.
    const html5 = new Map([
      ['lang', '\u27e8'],
      ['rang', '\u27e9'],
    ]);
    expect(HTML401_ENTITIES.size).toBe(252);
    for (const [char, name] of HTML401_ENTITIES) {
      expect(decodeHTMLStrict(`&${name};`)).toBe(html5.get(name) ?? char);
    }
  });
});

describe("PHP's filter_var(FILTER_VALIDATE_INT), intval() and FILTER_VALIDATE_BOOLEAN", () => {
  it.each<[unknown, number | undefined]>([
    [5, 5],
    ['5', 5],
    [' 12 ', 12],
    ['+7', 7],
    ['-3', -3],
    [0, 0],
    ['012', undefined],
    ['1.5', undefined],
    [1.5, undefined],
    [2.0, 2],
    [true, 1],
    [false, undefined],
    ['', undefined],
    [null, undefined],
    ['12abc', undefined],
  ])('filter_var(%j) → %j', (value, expected) => {
    expect(filterValidateInt(value)).toBe(expected);
  });

  it.each<[string | undefined, number]>([
    ['50', 50],
    ['50abc', 50],
    ['  7', 7],
    ['-5', -5],
    ['abc', 0],
    ['', 0],
    [undefined, 0],
  ])('intval(%j) → %j', (value, expected) => {
    expect(intval(value)).toBe(expected);
  });

  it.each<[unknown, boolean]>([
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['on', true],
    ['yes', true],
    [true, true],
    ['false', false],
    ['0', false],
    ['', false],
    ['maybe', false],
    [undefined, false],
  ])('filter_var(%j, BOOLEAN) → %j', (value, expected) => {
    expect(filterBool(value)).toBe(expected);
  });
});
