#!/usr/bin/env node
// k8slistener-explain: which rules match an event, and what would each destination receive?
//
//   npm run explain -- --event event.yaml --rules rules.yaml [--rules more.yaml]
//   npm run explain -- --event event.yaml --cluster [--kubeconfig path]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type CompiledRule, compileRule, parseRuleDocuments } from '@k8slistener/rules';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeApi } from '../kube/kube-api.ts';
import { parseEventInput } from './event-input.ts';
import { explain, formatExplanation, type InvalidRule } from './explain.ts';

const USAGE = `usage: k8slistener-explain --event FILE (--rules FILE… | --cluster) [--kubeconfig FILE] [--cluster-name NAME] [--json]
  --event FILE      the event as YAML or JSON: a Kubernetes Event, an audit EventList, or a KubeEvent written by hand ("-" reads stdin)
  --rules FILE      EventRule/ClusterEventRule YAML (repeatable)
  --cluster         read the rules from the cluster instead
  --json            print JSON instead of text`;

function fail(message: string): never {
  process.stderr.write(`k8slistener-explain: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

let values: {
  event?: string;
  rules?: string[];
  cluster?: boolean;
  kubeconfig?: string;
  'cluster-name'?: string;
  json?: boolean;
  help?: boolean;
};
try {
  values = parseArgs({
    options: {
      event: { type: 'string' },
      rules: { type: 'string', multiple: true },
      cluster: { type: 'boolean' },
      kubeconfig: { type: 'string' },
      'cluster-name': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  }).values;
} catch (error) {
  fail((error as Error).message);
}
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (!values.event) fail('--event is required');
if (!values.cluster && !values.rules?.length) fail('give --rules FILE or --cluster');

const readText = (path: string) => {
  try {
    return readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (error) {
    return fail(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
};
const cluster = values['cluster-name'] ?? 'kubernetes';
const input = parseEventInput(readText(values.event), cluster);
if ('errors' in input) fail(`--event ${values.event}: ${input.errors.join('; ')}`);

const rules: CompiledRule[] = [];
const invalid: InvalidRule[] = [];
if (values.cluster) {
  const kc = new KubeConfig();
  if (values.kubeconfig) kc.loadFromFile(values.kubeconfig);
  else kc.loadFromDefault();
  const api = new KubeApi(kc);
  for (const plural of ['clustereventrules', 'eventrules']) {
    const list = await api
      .get<{ items: unknown[] }>(`/apis/k8slistener.io/v1alpha1/${plural}`)
      .catch((error: unknown) =>
        fail(`reading ${plural} from the cluster failed: ${(error as Error).message}`),
      );
    for (const item of list.items) {
      const result = compileRule(item);
      const meta =
        (item as { kind?: string; metadata?: { namespace?: string; name?: string } }).metadata ?? {};
      if (result.ok) rules.push(result.rule);
      else
        invalid.push({
          rule: `${(item as { kind?: string }).kind}/${meta.namespace ? `${meta.namespace}/` : ''}${meta.name}`,
          errors: result.errors,
        });
    }
  }
} else {
  for (const file of values.rules ?? []) {
    const parsed = parseRuleDocuments(readText(file));
    rules.push(...parsed.rules);
    for (const e of parsed.errors)
      invalid.push({
        rule: `${file} document ${e.document}${e.name ? ` (${e.name})` : ''}`,
        errors: e.errors,
      });
  }
}

const context = { cluster, now: new Date(), links: [] };
const explanations = input.events.map((event) => explain(event, rules, invalid, context));
process.stdout.write(
  values.json ? `${JSON.stringify(explanations, null, 2)}\n` : explanations.map(formatExplanation).join('\n'),
);
