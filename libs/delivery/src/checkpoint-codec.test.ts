import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mergeCheckpoints, parseCheckpoint } from './checkpoint-codec.ts';
import { CheckpointTracker } from './checkpoint-tracker.ts';

test('parseCheckpoint reads what was written', () => {
  const checkpoint = { watermark: '2026-03-01T12:00:00.000Z', done: ['a', 'b'] };
  assert.equal(parseCheckpoint(JSON.stringify(checkpoint)), { checkpoint });
});

const bad: [string, string, string[]][] = [
  ['not JSON', '{', ['checkpoint is not JSON: ']],
  ['a list', '[]', ['checkpoint must be an object with watermark and done']],
  [
    'bad watermark',
    '{"watermark":"yesterday","done":[]}',
    ['watermark must be an ISO-8601 time; got "yesterday"'],
  ],
  ['missing done', '{"watermark":"2026-03-01T12:00:00Z"}', ['done must be a list of event ids (strings)']],
  [
    'numbers in done',
    '{"watermark":"2026-03-01T12:00:00Z","done":[1]}',
    ['done must be a list of event ids (strings)'],
  ],
];
for (const [name, text, errors] of bad) {
  test(`parseCheckpoint refuses ${name}`, () => {
    const result = parseCheckpoint(text);
    assert.ok('errors' in result);
    if ('errors' in result) {
      assert.is(result.errors.length, errors.length);
      for (const [i, e] of result.errors.entries()) assert.ok(e.startsWith(errors[i] ?? '?'), e);
    }
  });
}

test('merge: earlier watermark, union of done; settled by either stays settled, nothing unsettled is skipped', () => {
  const a = { watermark: '2026-03-01T12:00:00.000Z', done: ['x', 'y'] };
  const b = { watermark: '2026-03-01T12:05:00.000Z', done: ['z'] };
  const merged = mergeCheckpoints(a, b);
  assert.equal(merged, { watermark: a.watermark, done: ['x', 'y', 'z'] });
  assert.equal(mergeCheckpoints(b, a), merged);
  const t = new Date('2026-03-01T12:06:00Z');
  assert.is(CheckpointTracker.isDone(merged, 'z', t), true);
  assert.is(CheckpointTracker.isDone(merged, 'w', t), false);
});

test.run();
