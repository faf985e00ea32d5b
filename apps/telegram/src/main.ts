#!/usr/bin/env node
// The Telegram plugin process. Settings: see apps/telegram/README.md.
import { EXIT_BAD_SETTINGS, isHttpUrl, runPlugin } from '@k8slistener/plugin-kit';
import { telegramPlugin } from './telegram-plugin.ts';

const defaultApiUrl = process.env.TELEGRAM_API_URL;
if (defaultApiUrl !== undefined && defaultApiUrl !== '' && !isHttpUrl(defaultApiUrl)) {
  process.stderr.write('k8slistener telegram: TELEGRAM_API_URL must be an absolute http(s) URL\n');
  process.exit(EXIT_BAD_SETTINGS);
}
await runPlugin(telegramPlugin(defaultApiUrl ? { defaultApiUrl } : {}));
