export type { ControlCommand, ControlError } from './double-control.ts';
export { DROP_MODE, MAX_SLOW_MS } from './double-control.ts';
export type {
  DoubleServer,
  DoubleServerOptions,
  DoubleState,
  RecordedAnswer,
  RecordedRequest,
} from './double-server.ts';
export { CONTROL_PREFIX } from './double-server.ts';
export type { QueuedFault } from './fault-queue.ts';
export type { SlackDelivery, SlackDouble, SlackDoubleOptions, SlackFailMode } from './slack.ts';
export { EXAMPLE_SLACK_WEBHOOK_PATH, SLACK_WEBHOOK_RATE_LIMIT, startSlackDouble } from './slack.ts';
export type { DoublePorts, Doubles, DoublesDescription } from './start-doubles.ts';
export { DOUBLE_PORT_ENV, startDoubles } from './start-doubles.ts';
export type {
  TeamsDelivery,
  TeamsDouble,
  TeamsDoubleOptions,
  TeamsFailMode,
  TeamsWorkflow,
} from './teams.ts';
export { EXAMPLE_TEAMS_WORKFLOW, startTeamsDouble } from './teams.ts';
export type { AdaptiveCard, TeamsEnvelope } from './teams-envelope.ts';
export { ADAPTIVE_CARD_CONTENT_TYPE } from './teams-envelope.ts';
export type {
  TelegramChat,
  TelegramDouble,
  TelegramDoubleOptions,
  TelegramFailMode,
  TelegramMessage,
} from './telegram.ts';
export {
  EXAMPLE_TELEGRAM_TOKEN,
  MAX_MESSAGE_CHARS,
  startTelegramDouble,
  TELEGRAM_CHAT_RATE_LIMIT,
} from './telegram.ts';
export type { TelegramEntity } from './telegram-text.ts';
export type { AutoRateLimit } from './token-bucket.ts';
