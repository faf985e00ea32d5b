#!/usr/bin/env node
// The Teams plugin process. Settings: see apps/teams/README.md.
import { runPlugin } from '@k8slistener/plugin-kit';
import { teamsPlugin } from './teams-plugin.ts';

await runPlugin(teamsPlugin());
