import {
  type Answer,
  type DoubleServer,
  type DoubleServerOptions,
  type DoubleService,
  startDoubleServer,
} from './double-server.ts';
import { parseJson } from './request-body.ts';
import { type AdaptiveCard, checkTeamsEnvelope } from './teams-envelope.ts';

/*
 * A Teams Workflows webhook: the Power Automate trigger "When a Teams webhook
 * request is received" (https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using).
 * Its URL is a Logic Apps request trigger, signed in the query string:
 *   /workflows/{id}/triggers/manual/paths/invoke?api-version=…&sp=…&sv=1.0&sig=…
 * or, on the newer Power Platform host,
 *   /powerautomate/automations/direct/workflows/{id}/triggers/manual/paths/invoke?api-version=1&sp=…&sv=1.0&sig=…
 * A request that starts the flow is answered 202 Accepted with an empty body
 * (https://learn.microsoft.com/en-us/azure/connectors/connectors-native-reqres).
 *
 * Errors use the Azure envelope {"error":{"code","message"}}. Microsoft does
 * not document the codes this trigger sends. MissingApiVersionParameter,
 * DirectApiAuthorizationRequired (no signature), TriggerInputSchemaMismatch
 * and TriggerRequestMethodNotValid are as observed from real endpoints; the
 * status and wording of DirectApiInvalidAuthorizationSignature, WorkflowNotFound,
 * WorkflowTriggerIsNotEnabled and the 429 body are our best guess.
 */

export const EXAMPLE_TEAMS_WORKFLOW = {
  id: '0123456789abcdef0123456789abcdef',
  sig: 'double-signature',
} as const;

/** The api-version Logic Apps trigger URLs carry. */
const API_VERSION = '2016-06-01';

const INVOKE_PATH =
  /^(?:\/powerautomate\/automations\/direct)?\/workflows\/([0-9A-Za-z-]+)\/triggers\/manual\/paths\/invoke$/;

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' } as const;

const azureError = (
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Answer => ({
  status,
  headers: { ...JSON_HEADERS, ...headers },
  body: JSON.stringify({ error: { code, message } }),
});

const schemaMismatch = (detail: string): Answer =>
  azureError(
    400,
    'TriggerInputSchemaMismatch',
    `The input body for trigger 'manual' of type 'Request' did not match its schema definition. Error details: '${detail}'.`,
  );

export const TEAMS_ERRORS = {
  bad_request: schemaMismatch("Required properties are missing from object: attachments. Path ''."),
  unauthorized: azureError(
    401,
    'DirectApiAuthorizationRequired',
    'The request must be authenticated only by Shared Access scheme.',
  ),
  invalid_signature: azureError(
    401,
    'DirectApiInvalidAuthorizationSignature',
    'The provided authorization signature is not valid.',
  ),
  workflow_not_found: azureError(404, 'WorkflowNotFound', 'The workflow could not be found.'),
  flow_disabled: azureError(
    409,
    'WorkflowTriggerIsNotEnabled',
    "The workflow trigger 'manual' could not be run because the workflow is in state 'Disabled'.",
  ),
  server_error: azureError(500, 'InternalServerError', 'Encountered internal server error.'),
  unavailable: azureError(503, 'ServiceUnavailable', 'The service is temporarily unavailable.'),
} as const satisfies Record<string, Answer>;

export type TeamsFailMode = keyof typeof TEAMS_ERRORS;

export interface TeamsWorkflow {
  readonly id: string;
  readonly sig: string;
}

export interface TeamsDoubleOptions extends DoubleServerOptions {
  /**
   * Workflows that exist, with their signature. When given, other ids answer
   * WorkflowNotFound and a wrong sig DirectApiInvalidAuthorizationSignature.
   * When left out, any id with any non-empty sig is accepted.
   */
  readonly workflows?: readonly TeamsWorkflow[];
}

export interface TeamsDelivery {
  readonly workflowId: string;
  readonly cards: readonly AdaptiveCard[];
}

export interface TeamsDouble extends DoubleServer<TeamsFailMode> {
  /** A full workflow URL a plugin can be configured with: the first registered workflow, or an example. */
  readonly webhookUrl: string;
  /** The full URL of a given workflow on this double. */
  workflowUrl(workflow: TeamsWorkflow): string;
  /** The cards the flow was started with (answered 202), oldest first. */
  delivered(): TeamsDelivery[];
}

function teamsService(workflows?: readonly TeamsWorkflow[]): DoubleService<TeamsFailMode> {
  let runs = 0;
  return {
    name: 'teams',
    errors: TEAMS_ERRORS,
    rateLimited: (seconds) =>
      azureError(
        429,
        'WorkflowRequestsThrottled',
        `Rate limit is exceeded. Try again in ${seconds} seconds.`,
        {
          'retry-after': String(seconds),
        },
      ),
    rateKey: (request) => INVOKE_PATH.exec(request.path)?.[1],
    handle: (request) => {
      const id = INVOKE_PATH.exec(request.path)?.[1];
      if (id === undefined) {
        // The double's own answer: a path that is no trigger at all.
        return azureError(404, 'NotFound', `No workflow trigger at '${request.path}'.`);
      }
      // In the order observed: api-version, then signature, then method, then body.
      if (!request.query['api-version']) {
        return azureError(
          400,
          'MissingApiVersionParameter',
          'The api-version query parameter (?api-version=) is required for all requests.',
        );
      }
      const sig = request.query.sig;
      if (!sig) return TEAMS_ERRORS.unauthorized;
      if (workflows !== undefined) {
        const workflow = workflows.find((w) => w.id === id);
        if (workflow === undefined) {
          return azureError(404, 'WorkflowNotFound', `The workflow '${id}' could not be found.`);
        }
        if (workflow.sig !== sig) return TEAMS_ERRORS.invalid_signature;
      }
      if (request.method !== 'POST') {
        return azureError(
          400,
          'TriggerRequestMethodNotValid',
          `The HTTP method for this request is not valid: expected 'Post' and actual '${request.method}'.`,
        );
      }
      const parsed = parseJson(request.body);
      if (!parsed.ok) {
        return azureError(
          400,
          'InvalidRequestContent',
          `The request content is not valid and could not be deserialized: '${parsed.reason}'.`,
        );
      }
      const check = checkTeamsEnvelope(parsed.value);
      if (!check.ok) return schemaMismatch(check.detail);
      runs += 1;
      return {
        status: 202,
        // Logic Apps names the run it started; plugins may log it.
        headers: { 'x-ms-workflow-run-id': runId(runs), 'x-ms-workflow-name': id },
        body: '',
      };
    },
    reset: () => {
      runs = 0;
    },
  };
}

/** Run ids look like 08584…; a counter keeps them unique and predictable. */
function runId(run: number): string {
  return `08584${String(run).padStart(21, '0')}CU00`;
}

/** Starts a Teams Workflows webhook double on 127.0.0.1. */
export async function startTeamsDouble(options: TeamsDoubleOptions = {}): Promise<TeamsDouble> {
  const { workflows, ...serverOptions } = options;
  const server = await startDoubleServer(teamsService(workflows), serverOptions);
  const workflowUrl = ({ id, sig }: TeamsWorkflow): string => {
    const query = new URLSearchParams({
      'api-version': API_VERSION,
      sp: '/triggers/manual/run',
      sv: '1.0',
      sig,
    });
    return `${server.origin}/workflows/${id}/triggers/manual/paths/invoke?${query}`;
  };
  return Object.assign(server, {
    webhookUrl: workflowUrl(workflows?.[0] ?? EXAMPLE_TEAMS_WORKFLOW),
    workflowUrl,
    delivered: (): TeamsDelivery[] =>
      server.requests.flatMap((request) => {
        const workflowId = INVOKE_PATH.exec(request.path)?.[1];
        if (workflowId === undefined || !('status' in request.answer) || request.answer.status !== 202)
          return [];
        const parsed = parseJson(request.body);
        const check = parsed.ok ? checkTeamsEnvelope(parsed.value) : undefined;
        return check?.ok ? [{ workflowId, cards: check.envelope.attachments.map((a) => a.content) }] : [];
      }),
  });
}
