/**
 * What the stack can fail with. Each message says what went wrong and what to
 * do about it: the CLI prints it as is.
 */
export type StackErrorCode =
  | 'unknown-component'
  | 'port-in-use'
  | 'missing-tool'
  | 'build-failed'
  | 'start-failed'
  | 'not-ready'
  | 'bad-state';

export class StackError extends Error {
  override readonly name = 'StackError';
  readonly code: StackErrorCode;

  constructor(code: StackErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
