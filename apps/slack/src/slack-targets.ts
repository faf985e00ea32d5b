import { type TargetsResult, targetEntries, targetFields } from '@k8slistener/plugin-kit';

export interface SlackTarget {
  /** The incoming webhook URL: a secret (it is the only credential a webhook has). */
  webhookUrl: string;
}

const SETTINGS = ['webhookUrl'] as const;

/**
 * Targets: `name: { webhookUrl: https://hooks.slack.com/services/T…/B…/… }`.
 * Any http(s) URL is accepted so a proxy or a test double can stand in.
 */
export function slackTargets(raw: unknown): TargetsResult<SlackTarget> {
  const entries = targetEntries(raw);
  if ('errors' in entries) return entries;
  const errors: string[] = [];
  const targets = new Map<string, SlackTarget>();
  for (const [name, settings] of entries.value) {
    const fields = targetFields(name, settings, errors);
    const webhookUrl = fields.url('webhookUrl');
    fields.rejectUnknown(SETTINGS);
    if (webhookUrl !== undefined) targets.set(name, { webhookUrl });
  }
  return errors.length > 0 ? { errors } : { targets };
}
