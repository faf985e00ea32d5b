import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fitText } from './fit-text.ts';

const entities = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

test('keeps short text, cuts long text with an ellipsis within the limit', () => {
  assert.is(fitText('hello', 5), 'hello');
  assert.is(fitText('hello!', 5), 'hell…');
  assert.is(fitText('a<b', 6, entities), 'a&lt;b');
  // Never half an entity: "a&lt;" does not fit in 4 with the ellipsis, so only "a" stays.
  assert.is(fitText('a<bc', 5, entities), 'a…');
  // Never half a surrogate pair.
  assert.is(fitText('😀😀😀', 4), '😀…');
  for (const max of [1, 2, 3, 10, 150]) assert.ok(fitText('x<'.repeat(200), max, entities).length <= max);
});

test.run();
