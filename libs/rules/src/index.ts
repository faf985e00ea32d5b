export { MAX_EXPRESSION_LENGTH } from './compile-expression.ts';
export {
  compileRule,
  DESTINATION_TYPE_PATTERN,
  MAX_DESTINATIONS,
  MAX_MATCH_VALUE_LENGTH,
  MAX_MATCH_VALUES,
  MAX_MESSAGE_REGEX_LENGTH,
  MESSAGE_REGEX_FLAGS,
  TARGET_NAME_PATTERN,
} from './compile-rule.ts';
export {
  type ActorView,
  type EventView,
  eventView,
  type ObjectView,
  sourceName,
  typeName,
} from './event-view.ts';
export { type DocumentErrors, parseRuleDocuments } from './parse-rule-documents.ts';
export { MAX_CONDITION_MESSAGE_LENGTH, type ReadyCondition, readyCondition } from './ready-condition.ts';
export { RuleIndex, type RuleIndexOptions } from './rule-index.ts';
export { ruleKey } from './rule-key.ts';
export {
  type CompiledRule,
  type CompileResult,
  type Destination,
  type DestinationTemplate,
  type FieldError,
  LABEL_SELECTOR_OPERATORS,
  type LabelSelector,
  type LabelSelectorOperator,
  type LabelSelectorRequirement,
  type MatchSpec,
  RULES_API_VERSION,
  type RuleKind,
  type RuleMatch,
  type RuleMatchers,
  SOURCE_NAMES,
  type SourceName,
  TYPE_NAMES,
  type TypeName,
} from './rule-types.ts';
export {
  type CompiledTemplate,
  compileTemplate,
  MAX_TEMPLATE_TEXT_LENGTH,
  MAX_TEMPLATE_TITLE_LENGTH,
  renderTemplate,
  type TemplateView,
  templateError,
  templateView,
} from './template.ts';
