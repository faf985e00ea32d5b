export { neutraliseSlack } from './neutralise-slack.ts';
export { neutraliseTeams } from './neutralise-teams.ts';
export { neutraliseTelegram } from './neutralise-telegram.ts';
export type {
  LinkTemplate,
  MessageTemplate,
  RenderContext,
  RenderedMessage,
  RenderInput,
  RenderResult,
  RuleName,
} from './render-context.ts';
export { renderMessage } from './render-message.ts';
