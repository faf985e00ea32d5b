import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ADAPTIVE_CARD_CONTENT_TYPE, checkTeamsEnvelope } from './teams-envelope.ts';

const card = { type: 'AdaptiveCard', version: '1.4', body: [{ type: 'TextBlock', text: 'pod crashed' }] };
const envelope = (attachment: unknown) => ({ type: 'message', attachments: [attachment] });

test('a message with an Adaptive Card attachment is accepted', () => {
  const value = envelope({ contentType: ADAPTIVE_CARD_CONTENT_TYPE, contentUrl: null, content: card });
  assert.equal(checkTeamsEnvelope(value), { ok: true, envelope: value });
  const noBody = envelope({
    contentType: ADAPTIVE_CARD_CONTENT_TYPE,
    content: { type: 'AdaptiveCard', version: '1.5' },
  });
  assert.is(checkTeamsEnvelope(noBody).ok, true);
});

test('malformed envelopes are refused naming the path', () => {
  const cases: [unknown, string][] = [
    [[], "Invalid type. Expected Object but got Array. Path ''."],
    ['text', "Invalid type. Expected Object but got String. Path ''."],
    [{}, "Required properties are missing from object: type, attachments. Path ''."],
    [{ text: 'hello' }, "Required properties are missing from object: type, attachments. Path ''."],
    [{ type: 'message' }, "Required properties are missing from object: attachments. Path ''."],
    [{ type: 'MessageCard', attachments: [] }, `Value "MessageCard" is not defined in enum. Path 'type'.`],
    [
      { type: 'message', attachments: {} },
      "Invalid type. Expected Array but got Object. Path 'attachments'.",
    ],
    [
      { type: 'message', attachments: [] },
      "Array item count 0 is less than minimum count of 1. Path 'attachments'.",
    ],
    [envelope(7), "Invalid type. Expected Object but got Integer. Path 'attachments[0]'."],
    [
      envelope({ contentType: 'application/vnd.microsoft.teams.card.o365connector', content: card }),
      `Value "application/vnd.microsoft.teams.card.o365connector" is not defined in enum. Path 'attachments[0].contentType'.`,
    ],
    [
      envelope({ contentType: ADAPTIVE_CARD_CONTENT_TYPE }),
      "Invalid type. Expected Object but got Undefined. Path 'attachments[0].content'.",
    ],
    [
      envelope({ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: { ...card, type: 'HeroCard' } }),
      `Value "HeroCard" is not defined in enum. Path 'attachments[0].content.type'.`,
    ],
    [
      envelope({ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: { type: 'AdaptiveCard' } }),
      "String undefined does not match regex pattern. Path 'attachments[0].content.version'.",
    ],
    [
      envelope({ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: { ...card, version: 1.4 } }),
      "String 1.4 does not match regex pattern. Path 'attachments[0].content.version'.",
    ],
    [
      envelope({ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: { ...card, body: 'text' } }),
      "Invalid type. Expected Array but got String. Path 'attachments[0].content.body'.",
    ],
  ];
  for (const [value, detail] of cases) {
    assert.equal(checkTeamsEnvelope(value), { ok: false, detail }, JSON.stringify(value));
  }
});

test.run();
