import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { costOf, ELLIPSIS, truncate, utf8Bytes, utf16Units } from './truncate.ts';

test('text within the limit is returned unchanged', () => {
  assert.is(truncate('hello', 5), 'hello');
  assert.is(truncate('', 0), '');
});

test('text over the limit is cut and ends with an ellipsis, within the limit', () => {
  assert.is(truncate('hello!', 5), 'hell…');
  assert.is(truncate('hello!', 5).length, 5);
  assert.is(truncate('ab', 1), '…');
  assert.is(truncate('ab', 0), '');
});

test('a surrogate pair is never split (UTF-16 units)', () => {
  const rocket = '\u{1F680}';
  // "a" + rocket costs 3 units; the limit 3 keeps it whole.
  assert.is(truncate(`a${rocket}b`, 3), `a${ELLIPSIS}`);
  assert.is(truncate(`a${rocket}bc`, 4), `a${rocket}${ELLIPSIS}`);
  const cut = truncate(rocket.repeat(10), 6);
  assert.is(cut, `${rocket}${rocket}${ELLIPSIS}`);
  assert.not.match(cut, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  assert.ok(cut.length <= 6);
});

test('every limit from 0 to the length keeps whole code points and stays within the limit', () => {
  const text = 'a\u{1F600}b\u{1F680}\u{1F680}c';
  for (let max = 0; max <= text.length; max++) {
    const cut = truncate(text, max);
    assert.ok(cut.length <= max, `max ${max}: ${cut.length}`);
    assert.not.match(cut, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  }
});

test('UTF-8 byte budgets count multi-byte characters', () => {
  assert.is(costOf('aé€\u{1F680}', utf8Bytes), 1 + 2 + 3 + 4);
  assert.is(costOf('aé€\u{1F680}', utf16Units), 5);
  // The ellipsis is 3 bytes: 7 bytes leave 4 for text, "aé" (3) fits, "€" (3 more) does not.
  assert.is(truncate('aé€\u{1F680}', 7, utf8Bytes), 'aé…');
  assert.is(truncate('aé€\u{1F680}', 10, utf8Bytes), 'aé€\u{1F680}');
});

test.run();
