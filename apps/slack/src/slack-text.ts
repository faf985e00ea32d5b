/**
 * Slack's mrkdwn reserves exactly three characters, which must be sent as
 * HTML entities (https://docs.slack.dev/messaging/formatting-message-text#escaping).
 * With them escaped, untrusted text cannot form a link, a mention or a
 * channel reference (<!here>, <@U…>, <#C…>, <http://…|…>).
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
