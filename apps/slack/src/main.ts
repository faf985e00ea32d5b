#!/usr/bin/env node
// The Slack plugin process. Settings: see apps/slack/README.md.
import { runPlugin } from '@k8slistener/plugin-kit';
import { slackPlugin } from './slack-plugin.ts';

await runPlugin(slackPlugin());
