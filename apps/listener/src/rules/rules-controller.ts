import type { Logger } from '@k8slistener/log';
import { type CompileResult, compileRule, type RuleIndex, readyCondition, ruleKey } from '@k8slistener/rules';
import type { KubeApi } from '../kube/kube-api.ts';
import { type RunningListWatch, startListWatch } from '../kube/list-watch.ts';

const GROUP_VERSION = '/apis/k8slistener.io/v1alpha1';

interface RuleObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; uid?: string; generation?: number };
  status?: { conditions?: Condition[]; observedGeneration?: number };
}

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  observedGeneration?: number;
  lastTransitionTime?: string;
}

export interface RulesControllerOptions {
  api: Pick<KubeApi, 'get' | 'watch' | 'request'>;
  index: RuleIndex;
  log: Logger;
  /** Only the leader writes status, so replicas do not fight over it. */
  writeStatus: () => boolean;
  now?: () => Date;
  /** Called after each change to the index (for metrics and readiness). */
  onChange?: (rule: string, state: 'ready' | 'invalid' | 'deleted') => void;
}

export interface RulesController {
  firstSync: Promise<void>;
  synced(): boolean;
  /** Writes any status the controller could not write while it was not the leader. */
  resync(): Promise<void>;
  stop(): void;
}

function sameCondition(a: Condition | undefined, b: Condition): boolean {
  return (
    a !== undefined &&
    a.status === b.status &&
    a.reason === b.reason &&
    a.message === b.message &&
    a.observedGeneration === b.observedGeneration
  );
}

/**
 * Watches EventRules and ClusterEventRules: each is compiled into the rule
 * index as it is created, changed or deleted (no restart), and its
 * status.conditions says Ready=True, or Ready=False naming the bad fields. A
 * bad rule is left out of the index; it never stops the others.
 */
export function startRulesController(options: RulesControllerOptions): RulesController {
  const { api, index, log } = options;
  const now = options.now ?? (() => new Date());
  const latest = new Map<string, RuleObject>();
  // A status write comes back as a MODIFIED event of the same generation: log each verdict once.
  const logged = new Map<string, string>();

  async function writeStatus(object: RuleObject, result: CompileResult): Promise<void> {
    const meta = object.metadata ?? {};
    const generation = meta.generation ?? 0;
    const condition = readyCondition(result, generation, now()) as Condition;
    const current = object.status?.conditions?.find((c) => c.type === 'Ready');
    if (sameCondition(current, condition) || !options.writeStatus()) return;
    const plural = object.kind === 'ClusterEventRule' ? 'clustereventrules' : 'eventrules';
    const path =
      object.kind === 'ClusterEventRule'
        ? `${GROUP_VERSION}/${plural}/${meta.name}/status`
        : `${GROUP_VERSION}/namespaces/${meta.namespace}/${plural}/${meta.name}/status`;
    const res = await api.request(
      'PATCH',
      path,
      { status: { observedGeneration: generation, conditions: [condition] } },
      'application/merge-patch+json',
    );
    if (res.status !== 200 && res.status !== 404) {
      log.warn('writing rule status failed', {
        rule: `${object.kind}/${meta.namespace ?? ''}/${meta.name}`,
        status: res.status,
      });
    }
  }

  async function apply(object: RuleObject): Promise<void> {
    const result = compileRule(object);
    const key = result.ok ? result.rule.key : keyOf(object);
    latest.set(key, object);
    const verdict = `${object.metadata?.generation ?? 0}:${result.ok ? 'ready' : 'invalid'}`;
    const firstTime = logged.get(key) !== verdict;
    logged.set(key, verdict);
    if (result.ok) {
      index.upsert(result.rule);
      if (firstTime) {
        log.info('rule loaded', {
          rule: key,
          generation: result.rule.generation,
          destinations: result.rule.destinations.length,
        });
      }
      options.onChange?.(key, 'ready');
    } else {
      index.remove(key);
      if (firstTime) log.warn('rule is invalid and not used', { rule: key, errors: result.errors });
      options.onChange?.(key, 'invalid');
    }
    await writeStatus(object, result);
  }

  function keyOf(object: RuleObject): string {
    return ruleKey({
      kind: object.kind === 'ClusterEventRule' ? 'ClusterEventRule' : 'EventRule',
      namespace: object.metadata?.namespace ?? '',
      name: object.metadata?.name ?? '',
    });
  }

  const watches: RunningListWatch[] = ['eventrules', 'clustereventrules'].map((plural) => {
    const seen = new Set<string>();
    return startListWatch({
      api,
      path: `${GROUP_VERSION}/${plural}`,
      what: plural,
      log,
      handlers: {
        onListed: async (object) => {
          const key = keyOf(object as RuleObject);
          seen.add(key);
          await apply(object as RuleObject);
        },
        onListDone: () => {
          // A relist after 410 Gone: rules deleted meanwhile are gone from the list.
          for (const key of [...latest.keys()]) {
            const kind = key.startsWith('ClusterEventRule/') ? 'clustereventrules' : 'eventrules';
            if (kind === plural && !seen.has(key)) {
              index.remove(key);
              latest.delete(key);
              options.onChange?.(key, 'deleted');
            }
          }
          seen.clear();
        },
        onEvent: async (type, object) => {
          if (type === 'DELETED') {
            const key = keyOf(object as RuleObject);
            index.remove(key);
            latest.delete(key);
            logged.delete(key);
            log.info('rule deleted', { rule: key });
            options.onChange?.(key, 'deleted');
          } else {
            await apply(object as RuleObject);
          }
        },
      },
    });
  });

  return {
    firstSync: Promise.all(watches.map((w) => w.firstSync)).then(() => undefined),
    synced: () => watches.every((w) => w.synced()),
    resync: async () => {
      for (const object of latest.values()) await writeStatus(object, compileRule(object));
    },
    stop: () => {
      for (const w of watches) w.stop();
    },
  };
}
