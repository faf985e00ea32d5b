import { spawn } from 'node:child_process';
import { StackError } from './stack-error.ts';

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** For the error message: what this step was doing. */
  step: string;
}

/** Runs a command to completion, collecting its output; a build-failed StackError with the output's tail otherwise. */
export function runCommand(command: string, args: readonly string[], options: RunOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.once('error', (error) =>
      reject(new StackError('build-failed', `${options.step}: ${error.message}`, { cause: error })),
    );
    child.once('close', (code) => {
      const output = Buffer.concat(chunks).toString('utf8');
      if (code === 0) {
        resolve(output);
      } else {
        const tail = output.trimEnd().split('\n').slice(-40).join('\n');
        reject(
          new StackError('build-failed', `${options.step} failed (${command} exited ${code}):\n${tail}`),
        );
      }
    });
  });
}
