import { isIP } from 'node:net';
import type { ElasticDocument__Output } from '@k8slistener/proto';
import type { EventFacts, ObjectFacts } from './event-facts.ts';
import type { RuleName } from './render-context.ts';
import { truncate, utf8Bytes } from './truncate.ts';

/** event.message is at most 32 KiB of UTF-8: a document stays small however long an emitter's message. */
export const ELASTIC_MESSAGE_MAX_BYTES = 32 * 1024;
/**
 * Any other string. Lucene refuses a term above 32,766 bytes, and a refused
 * term rejects the whole document; the plugin's template sets ignore_above
 * only on some keywords, so every keyword is cut well below that here.
 */
export const ELASTIC_KEYWORD_MAX_BYTES = 8 * 1024;
/** Labels, groups and addresses per document: real objects have far fewer. */
export const ELASTIC_ARRAY_MAX_ITEMS = 256;

type Json = string | number | Json[] | { [key: string]: Json | undefined } | undefined;

export interface ElasticDocumentInput {
  /** The listener's cluster name, used when the event names none. */
  cluster: string;
  deliveryId: string;
  rule: RuleName;
}

/**
 * The document for the elastic plugin, exactly the shared schema (see
 * README.md): cluster text stored raw — it is data, not shown in a chat — but
 * bounded in size; empty and unknown values left out rather than sent as ""
 * or 0; `index` empty, so the target's configured index is used.
 */
export function elasticDocument(facts: EventFacts, input: ElasticDocumentInput): ElasticDocument__Output {
  const document = compact({
    '@timestamp': facts.time.toISOString(),
    cluster: keyword(facts.cluster || input.cluster),
    delivery_id: keyword(input.deliveryId),
    event: {
      id: keyword(facts.id),
      source: keyword(facts.source),
      reason: keyword(facts.reason),
      type: keyword(facts.type),
      action: keyword(facts.action),
      verb: keyword(facts.verb),
      count: positive(facts.count),
      message: truncate(facts.message, ELASTIC_MESSAGE_MAX_BYTES, utf8Bytes),
      first_timestamp: facts.firstTime?.toISOString(),
      last_timestamp: facts.lastTime?.toISOString(),
      reporting_component: keyword(facts.reportingComponent),
      reporting_instance: keyword(facts.reportingInstance),
      audit_id: keyword(facts.auditId),
      response_code: positive(facts.responseCode),
      revision: keyword(facts.revision),
    },
    object: {
      ...reference(facts.object),
      generation: generation(facts.object.generation),
      subresource: keyword(facts.object.subresource),
      field_path: keyword(facts.object.fieldPath),
      labels: keywords(
        Object.keys(facts.object.labels)
          .sort()
          .map((key) => `${key}=${facts.object.labels[key]}`),
      ),
    },
    related: reference(facts.related),
    actor: {
      username: keyword(facts.actor.username),
      uid: keyword(facts.actor.uid),
      groups: keywords(facts.actor.groups),
      impersonator: keyword(facts.actor.impersonator),
      user_agent: keyword(facts.actor.userAgent),
      // An address the ip field cannot parse would reject the whole document.
      source_ips: keywords(facts.actor.sourceIps.filter((ip) => isIP(ip) !== 0)),
      learned_from: keyword(facts.actor.learnedFrom),
    },
    rule: {
      kind: keyword(input.rule.kind),
      namespace: keyword(input.rule.namespace),
      name: keyword(input.rule.name),
    },
  });
  return { documentJson: JSON.stringify(document), index: '' };
}

function reference(object: ObjectFacts): { [key: string]: Json } {
  return {
    api_version: keyword(object.apiVersion),
    kind: keyword(object.kind),
    namespace: keyword(object.namespace),
    name: keyword(object.name),
    uid: keyword(object.uid),
  };
}

function keyword(text: string): string {
  return truncate(text, ELASTIC_KEYWORD_MAX_BYTES, utf8Bytes);
}

function keywords(texts: string[]): string[] {
  return texts.slice(0, ELASTIC_ARRAY_MAX_ITEMS).map(keyword);
}

function positive(value: number): number | undefined {
  return value > 0 ? value : undefined;
}

/** A long: a number while exact, else the decimal string (the long field parses it). */
function generation(digits: string): number | string | undefined {
  if (digits === '') return undefined;
  const value = Number(digits);
  return Number.isSafeInteger(value) ? value : digits;
}

/** `value` without "", undefined, empty arrays and objects left empty by that; key order kept. */
function compact(value: { [key: string]: Json }): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const [key, item] of Object.entries(value)) {
    const kept =
      typeof item === 'object' && !Array.isArray(item) && item !== undefined ? compact(item) : item;
    if (kept === undefined || kept === '') continue;
    if (Array.isArray(kept) && kept.length === 0) continue;
    if (typeof kept === 'object' && !Array.isArray(kept) && Object.keys(kept).length === 0) continue;
    out[key] = kept;
  }
  return out;
}
