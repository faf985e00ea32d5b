import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  DEFAULT_BULK_MAX_BYTES,
  DEFAULT_BULK_MAX_DOCS,
  DEFAULT_BULK_MAX_WAIT_MS,
  DEFAULT_MAINTENANCE_INTERVAL_MS,
  elasticSettings,
} from './elastic-settings.ts';

test('defaults, and every setting read', () => {
  assert.equal(elasticSettings({}), {
    value: {
      bulkMaxDocs: DEFAULT_BULK_MAX_DOCS,
      bulkMaxBytes: DEFAULT_BULK_MAX_BYTES,
      bulkMaxWaitMs: DEFAULT_BULK_MAX_WAIT_MS,
      itemMaxAttempts: 4,
      maintenanceIntervalMs: DEFAULT_MAINTENANCE_INTERVAL_MS,
    },
  });
  assert.equal(
    elasticSettings({
      BULK_MAX_DOCS: '100',
      BULK_MAX_BYTES: '2048',
      BULK_MAX_WAIT_MS: '0',
      BULK_ITEM_MAX_ATTEMPTS: '1',
      MAINTENANCE_INTERVAL_MS: '60000',
    }),
    {
      value: {
        bulkMaxDocs: 100,
        bulkMaxBytes: 2048,
        bulkMaxWaitMs: 0,
        itemMaxAttempts: 1,
        maintenanceIntervalMs: 60_000,
      },
    },
  );
});

test('every bad setting is named', () => {
  assert.equal(
    elasticSettings({
      BULK_MAX_DOCS: '0',
      BULK_MAX_BYTES: '1e6',
      BULK_MAX_WAIT_MS: '-5',
      BULK_ITEM_MAX_ATTEMPTS: 'x',
    }),
    {
      errors: [
        'BULK_MAX_DOCS must be a whole number from 1 to 100000; got "0"',
        'BULK_MAX_BYTES must be a whole number from 1024 to 104857600; got "1e6"',
        'BULK_MAX_WAIT_MS must be a whole number from 0 to 60000; got "-5"',
        'BULK_ITEM_MAX_ATTEMPTS must be a whole number from 1 to 20; got "x"',
      ],
    },
  );
});

test.run();
