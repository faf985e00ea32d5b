// `npm run demo`: brings the whole local stack up in the foreground and says
// what is where; Ctrl-C stops every process it started. (Later issues make it
// the full story: listener, plugins and rules delivering real events.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheDir } from '../libs/testkit/src/cache-dir.ts';
import { COMPONENTS, startStack } from '../libs/testkit/src/stack.ts';
import { StackError } from '../libs/testkit/src/stack-error.ts';

const dir = mkdtempSync(join(tmpdir(), 'k8slistener-demo-'));
try {
  const { state, stop } = await startStack(COMPONENTS, { cache: cacheDir(), dir });
  const lines = [
    '',
    'k8slistener local stack is up. What is where:',
    '',
    `  Kubernetes API       ${state.kube?.server}`,
    `    kubectl as admin   kubectl --kubeconfig ${state.kube?.kubeconfigs.admin} get nodes`,
    `    as expert@org.com  kubectl --kubeconfig '${state.kube?.kubeconfigs['expert@org.com']}' auth whoami`,
    `  Traefik gRPC router  ${state.traefik?.grpc} (h2c; routes on the x-message-type header)`,
    `    API / dashboard    ${state.traefik?.api}/api/http/routers  ${state.traefik?.dashboard}`,
    `    routes directory   ${state.traefik?.dynamicDir}`,
    `  OpenSearch           ${state.opensearch?.url} (${state.opensearch?.version})`,
    `  Elasticsearch        ${state.elasticsearch?.url} (${state.elasticsearch?.version})`,
    `  Slack webhook double ${state.doubles?.slack}`,
    `  Telegram Bot API     ${state.doubles?.telegram}`,
    `  Teams Workflows      ${state.doubles?.teams}`,
    `    recorded requests  ${state.doubles?.control.slack}/requests (and the same under telegram and teams)`,
    '',
    `  logs                 ${dir}`,
    '',
    'The listener and the plugins are not built yet; this is the infrastructure they will run on.',
    'Press Ctrl-C to stop everything.',
    '',
  ];
  process.stdout.write(lines.join('\n'));
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  process.stdout.write('\nstopping…\n');
  await stop();
  process.stdout.write('stopped\n');
} catch (error) {
  process.stderr.write(`${error instanceof StackError ? `error: ${error.message}` : String(error)}\n`);
  process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
