import { templateView } from '@k8slistener/rules';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { LinkTemplate } from './render-context.ts';
import { LINK_URL_MAX_CHARS, MAX_LINKS_PER_MESSAGE, renderLinks } from './render-links.ts';
import { backOffEvent } from './test-events.ts';

const RULE = { kind: 'EventRule', namespace: 'shop', name: 'r' } as const;
const DESTINATION = { type: 'slack', target: 'ops' };
const VIEW = templateView(backOffEvent(), RULE, DESTINATION);
const GRAFANA: LinkTemplate = {
  title: 'Grafana: {{event.object.name}}',
  url: 'https://grafana.example/d/k8s?var-namespace={{event.object.namespace}}&var-name={{event.object.name}}',
};

test('values are URL-encoded into the configured URL; the title is rendered too', () => {
  assert.equal(renderLinks([GRAFANA], 'slack', VIEW), {
    links: [
      {
        title: 'Grafana: web-5d8f9-abcde',
        url: 'https://grafana.example/d/k8s?var-namespace=shop&var-name=web-5d8f9-abcde',
      },
    ],
    warnings: [],
  });
  const hostile = templateView(backOffEvent({ message: 'a b&c=d/#?x' }), RULE, DESTINATION);
  assert.equal(
    renderLinks([{ title: 'Search', url: 'https://logs.example/?q={{{event.message}}}' }], 'teams', hostile),
    {
      links: [{ title: 'Search', url: 'https://logs.example/?q=a%20b%26c%3Dd%2F%23%3Fx' }],
      warnings: [],
    },
  );
});

test('a result that is not an absolute http(s) URL drops the link, with a warning naming its title', () => {
  const table: [url: string, title: string][] = [
    ['{{event.message}}', 'message as URL'],
    ['javascript:alert(1)', 'script'],
    ['tg://resolve?domain={{event.object.name}}', 'telegram'],
    ['/relative/{{event.object.name}}', 'relative'],
    ['ftp://files.example/{{event.object.name}}', 'ftp'],
    ['https://', 'no host'],
  ];
  for (const [url, title] of table) {
    assert.equal(
      renderLinks([{ title, url }], 'slack', VIEW),
      { links: [], warnings: [`link "${title}" dropped: the rendered url is not an absolute http(s) URL`] },
      url,
    );
  }
});

test('a URL or title template that fails drops the link with the reason', () => {
  assert.equal(
    renderLinks([{ title: 'Bad', url: 'https://x.example/{{#event.object.name}}' }], 'slack', VIEW),
    {
      links: [],
      warnings: ['link "Bad" dropped: url template: Unclosed section "event.object.name" at 40'],
    },
  );
  assert.equal(renderLinks([{ title: '{{#x}}', url: 'https://x.example/' }], 'slack', VIEW), {
    links: [],
    warnings: ['link "{{#x}}" dropped: title template: Unclosed section "x" at 6'],
  });
});

test('a link with types applies only to those destination types; without, to all', () => {
  const links: LinkTemplate[] = [
    { title: 'Slack only', url: 'https://a.example/', types: ['slack'] },
    { title: 'Chat', url: 'https://b.example/', types: ['slack', 'teams'] },
    { title: 'All', url: 'https://c.example/' },
  ];
  const titles = (type: string) => renderLinks(links, type, VIEW).links.map((link) => link.title);
  assert.equal(titles('slack'), ['Slack only', 'Chat', 'All']);
  assert.equal(titles('teams'), ['Chat', 'All']);
  assert.equal(titles('telegram'), ['All']);
});

test('a blank title shows the host; a URL is normalised', () => {
  assert.equal(renderLinks([{ title: ' ', url: 'HTTPS://Grafana.Example/a b' }], 'slack', VIEW).links, [
    { title: 'grafana.example', url: 'https://grafana.example/a%20b' },
  ]);
});

test('at most MAX_LINKS_PER_MESSAGE links, and no URL longer than LINK_URL_MAX_CHARS', () => {
  const many = Array.from({ length: MAX_LINKS_PER_MESSAGE + 1 }, (_, i) => ({
    title: `L${i}`,
    url: `https://x.example/${i}`,
  }));
  const result = renderLinks(many, 'slack', VIEW);
  assert.is(result.links.length, MAX_LINKS_PER_MESSAGE);
  assert.equal(result.warnings, [`link "L5" dropped: at most ${MAX_LINKS_PER_MESSAGE} links per message`]);
  const long = `https://x.example/${'a'.repeat(LINK_URL_MAX_CHARS)}`;
  assert.equal(renderLinks([{ title: 'Long', url: long }], 'slack', VIEW), {
    links: [],
    warnings: [`link "Long" dropped: the rendered url is longer than ${LINK_URL_MAX_CHARS} characters`],
  });
});

test.run();
