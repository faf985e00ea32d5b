// Reads what each channel received — the doubles' recordings over their HTTP
// control endpoints, the documents in OpenSearch — and turns it into lines a
// person can read at a glance.

/** Every call here is to a local server that answers in milliseconds; this is for a wedged one. */
const HTTP_TIMEOUT_MS = 10_000;
/** Longest line printed for one message before it is cut with "…". */
const MAX_LINE_CHARS = 150;

interface RecordedRequest {
  path: string;
  json?: unknown;
  answer: { status: number; body: string } | { dropped: true };
}

export interface Delivered {
  /** One readable line per message, oldest first. */
  lines: string[];
  /** Requests the double recorded, including refused ones. */
  requests: number;
}

/** `GET <control>/requests` of a double. */
export async function recordedRequests(control: string): Promise<RecordedRequest[]> {
  const res = await fetch(`${control}/requests`, { signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
  if (!res.ok) throw new Error(`GET ${control}/requests answered ${res.status}`);
  return (await res.json()) as RecordedRequest[];
}

const accepted = (r: RecordedRequest, status: number) => 'status' in r.answer && r.answer.status === status;

function cut(text: string): string {
  const flat = text.replace(/\s*\n\s*/g, ' ').trim();
  return flat.length > MAX_LINE_CHARS ? `${flat.slice(0, MAX_LINE_CHARS - 1)}…` : flat;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function textOf(value: unknown): string {
  const text = record(value).text;
  return typeof text === 'string' ? text : '';
}

/** Header blocks render emoji shortcodes; a terminal does not. */
const SLACK_EMOJI: Readonly<Record<string, string>> = {
  ':information_source:': 'ℹ️',
  ':white_check_mark:': '✅',
  ':warning:': '⚠️',
  ':rotating_light:': '🚨',
};

/** Slack: the header block (severity emoji and title) and the first section's text, from the Block Kit payload. */
export async function slackDelivered(control: string): Promise<Delivered> {
  const requests = await recordedRequests(control);
  const lines = requests
    .filter((r) => accepted(r, 200))
    .map((r) => {
      const blocks = list(record(r.json).blocks).map(record);
      const header = textOf(blocks.find((b) => b.type === 'header')?.text);
      const section = textOf(blocks.find((b) => b.type === 'section' && b.text !== undefined)?.text);
      const shown = header.replace(/^:[a-z_]+:/, (code) => SLACK_EMOJI[code] ?? code);
      return cut([shown, section].filter((s) => s !== '').join(' — '));
    });
  return { lines, requests: requests.length };
}

/**
 * Telegram: the title and first line of each sent message as the Bot API
 * returned it (HTML parsed, so no tags); the fields below are left out.
 */
export async function telegramDelivered(control: string): Promise<Delivered> {
  const requests = await recordedRequests(control);
  const lines = requests
    .filter((r) => r.path.endsWith('/sendMessage') && accepted(r, 200))
    .map((r) => {
      const body = 'body' in r.answer ? r.answer.body : '{}';
      const text = textOf(record(JSON.parse(body)).result);
      const [title = '', first] = text.split('\n').filter((line) => line.trim() !== '');
      return cut(first === undefined ? title : `${title} — ${first}`);
    });
  return { lines, requests: requests.length };
}

/** Teams: the severity label and title of each Adaptive Card the workflow accepted (202). */
export async function teamsDelivered(control: string): Promise<Delivered> {
  const requests = await recordedRequests(control);
  const runText = (block: unknown) => textOf(list(record(block).inlines)[0]);
  const lines = requests
    .filter((r) => accepted(r, 202))
    .map((r) => {
      const card = record(record(list(record(r.json).attachments)[0]).content);
      const heading = list(record(list(card.body)[0]).items);
      const [label, title] = [runText(heading[0]), runText(heading[1])];
      return cut(`[${label}] ${title}`);
    });
  return { lines, requests: requests.length };
}

async function search(url: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
  });
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  return record(await res.json());
}

export interface IndexedEvents {
  /** Daily index name → document count. */
  indices: Record<string, number>;
  total: number;
  /** Document count per event.source. */
  bySource: Record<string, number>;
  /** Document count per actor.username ("-" for none: Kubernetes Events carry no user). */
  byActor: Record<string, number>;
  /** Documents the actor query found. */
  actorHits: number;
  /** One line per document of the actor query, oldest first. */
  actorLines: string[];
}

/** The term query the demo runs and prints for the user to run again. */
export function actorQuery(username: string) {
  return { query: { term: { 'actor.username': username } }, sort: [{ '@timestamp': 'asc' }], size: 20 };
}

/** Counts the documents under `<prefix>-*`, by index and by source, and runs the actor query. */
export async function indexedEvents(url: string, prefix: string, username: string): Promise<IndexedEvents> {
  const pattern = `${prefix}-*`;
  // The plugin answers once a document is durable; searches see it after the next refresh (1 s), or now.
  await search(url, `/${pattern}/_refresh`, {});
  const cat = await fetch(`${url}/_cat/indices/${pattern}?format=json&h=index,docs.count`, {
    signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
  });
  const indices: Record<string, number> = {};
  for (const row of list(await cat.json()).map(record))
    indices[String(row.index)] = Number(row['docs.count']);
  const sources = await search(url, `/${pattern}/_search`, {
    size: 0,
    track_total_hits: true,
    aggs: {
      sources: { terms: { field: 'event.source', size: 10 } },
      actors: { terms: { field: 'actor.username', size: 10, missing: '-' } },
    },
  });
  const buckets = (name: string) => {
    const counts: Record<string, number> = {};
    for (const bucket of list(record(record(sources.aggregations)[name]).buckets).map(record)) {
      counts[String(bucket.key)] = Number(bucket.doc_count);
    }
    return counts;
  };
  const found = await search(url, `/${pattern}/_search`, actorQuery(username));
  const hits = record(found.hits);
  const actorLines = list(hits.hits).map((hit) => {
    const doc = record(record(hit)._source);
    const event = record(doc.event);
    const object = record(doc.object);
    const time = String(doc['@timestamp'] ?? '').slice(11, 19);
    const generation = object.generation === undefined ? '' : ` g${object.generation}`;
    return cut(
      `${time}  ${String(event.source ?? '').padEnd(7)} ${String(event.reason ?? '').padEnd(17)} ` +
        `${object.kind} ${object.namespace}/${object.name}${generation}  by ${record(doc.actor).username}`,
    );
  });
  return {
    indices,
    total: Number(record(record(sources.hits).total).value ?? 0),
    bySource: buckets('sources'),
    byActor: buckets('actors'),
    actorHits: Number(record(hits.total).value ?? 0),
    actorLines,
  };
}
