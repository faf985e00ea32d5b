import { type TargetsResult, targetEntries, targetFields } from '@k8slistener/plugin-kit';

export interface TeamsTarget {
  /** The Workflows webhook URL; its `sig` query parameter is the credential: a secret. */
  webhookUrl: string;
}

const SETTINGS = ['webhookUrl'] as const;

/**
 * Targets: `name: { webhookUrl: https://….logic.azure.com/workflows/…/triggers/manual/paths/invoke?…&sig=… }`
 * — the URL Teams shows when a channel's "Post to a channel when a webhook
 * request is received" workflow is created.
 */
export function teamsTargets(raw: unknown): TargetsResult<TeamsTarget> {
  const entries = targetEntries(raw);
  if ('errors' in entries) return entries;
  const errors: string[] = [];
  const targets = new Map<string, TeamsTarget>();
  for (const [name, settings] of entries.value) {
    const fields = targetFields(name, settings, errors);
    const webhookUrl = fields.url('webhookUrl');
    fields.rejectUnknown(SETTINGS);
    if (webhookUrl !== undefined) targets.set(name, { webhookUrl });
  }
  return errors.length > 0 ? { errors } : { targets };
}
