/**
 * The schema of every document the plugin stores, as one composable index
 * template per target (`PUT _index_template/<prefix>`), the same request on
 * Elasticsearch 7.8+ / 8 / 9 and OpenSearch 1–3.
 */

/** Bumped whenever DOCUMENT_MAPPING changes; stored in the template's and each index's `_meta`. */
export const SCHEMA_VERSION = 1;

/**
 * Above the priority 100 of the templates Elasticsearch 8+ installs for
 * itself (`logs-*-*`, `metrics-*-*`), so a prefix near theirs still gets ours.
 */
export const TEMPLATE_PRIORITY = 200;

/** A daily index of Kubernetes events is small: one shard is plenty and keeps the cluster's shard count low. */
export const INDEX_SHARDS = 1;

/** Longest keyword indexed as a term; longer values stay in _source (a term above 32 KiB would reject the document). */
export const KEYWORD_IGNORE_ABOVE = 1024;

export type FieldMapping =
  | { type: 'keyword'; ignore_above?: number }
  | { type: 'long' | 'integer' | 'ip' }
  | { type: 'date'; format: string }
  | { type: 'text'; fields: { raw: { type: 'keyword'; ignore_above: number } } }
  | { properties: Record<string, FieldMapping> };

const keyword: FieldMapping = { type: 'keyword' };
const longKeyword: FieldMapping = { type: 'keyword', ignore_above: KEYWORD_IGNORE_ABOVE };
// The listener writes ISO 8601 in UTC; epoch_millis lets a hand-written document use numbers.
const date: FieldMapping = { type: 'date', format: 'strict_date_optional_time||epoch_millis' };

const objectReference: Record<string, FieldMapping> = {
  api_version: keyword,
  kind: keyword,
  namespace: keyword,
  name: keyword,
  uid: keyword,
};

/**
 * Every field of the document contract (see README.md), mapped explicitly:
 * identifiers and enumerations are `keyword` (exact match, aggregations), the
 * human-readable message is `text` with a `raw` keyword, times are `date`.
 * Object labels arrive as a `"key=value"` keyword array, which is what keeps
 * `app` and `app.kubernetes.io/name` from clashing and any number of distinct
 * label keys from adding fields.
 */
export const DOCUMENT_PROPERTIES: Record<string, FieldMapping> = {
  '@timestamp': date,
  cluster: keyword,
  delivery_id: keyword,
  event: {
    properties: {
      id: keyword,
      source: keyword,
      reason: keyword,
      type: keyword,
      action: keyword,
      verb: keyword,
      count: { type: 'long' },
      message: { type: 'text', fields: { raw: { type: 'keyword', ignore_above: KEYWORD_IGNORE_ABOVE } } },
      first_timestamp: date,
      last_timestamp: date,
      reporting_component: keyword,
      reporting_instance: keyword,
      audit_id: keyword,
      response_code: { type: 'integer' },
      revision: keyword,
    },
  },
  object: {
    properties: {
      ...objectReference,
      generation: { type: 'long' },
      subresource: keyword,
      field_path: longKeyword,
      labels: longKeyword,
    },
  },
  related: { properties: objectReference },
  actor: {
    properties: {
      username: keyword,
      uid: keyword,
      groups: keyword,
      impersonator: keyword,
      user_agent: longKeyword,
      source_ips: { type: 'ip' },
      learned_from: keyword,
    },
  },
  rule: { properties: { kind: keyword, namespace: keyword, name: keyword } },
};

export interface IndexTemplateOptions {
  /** The target's index prefix; the template covers `<prefix>-*`. */
  indexPrefix: string;
  replicas: number;
}

export interface IndexTemplate {
  index_patterns: string[];
  priority: number;
  version: number;
  _meta: Record<string, string | number>;
  template: {
    settings: { index: { number_of_shards: number; number_of_replicas: number } };
    mappings: {
      /*
       * false, not strict: a field this schema does not know (a newer
       * listener, a hand-written document) is kept in _source but neither
       * indexed nor added to the mapping, so it can never change the schema
       * or reject an otherwise good event. The plugin logs such fields.
       */
      dynamic: false;
      _meta: { schema_version: number };
      properties: Record<string, FieldMapping>;
    };
  };
}

/** The template body for a target. */
export function indexTemplate(options: IndexTemplateOptions): IndexTemplate {
  return {
    index_patterns: [`${options.indexPrefix}-*`],
    priority: TEMPLATE_PRIORITY,
    version: SCHEMA_VERSION,
    _meta: { managed_by: 'k8slistener', schema_version: SCHEMA_VERSION },
    template: {
      settings: { index: { number_of_shards: INDEX_SHARDS, number_of_replicas: options.replicas } },
      mappings: {
        dynamic: false,
        _meta: { schema_version: SCHEMA_VERSION },
        properties: DOCUMENT_PROPERTIES,
      },
    },
  };
}

/** The template's name: the prefix itself, so `GET _index_template/<prefix>` finds it. */
export function templateName(indexPrefix: string): string {
  return indexPrefix;
}
