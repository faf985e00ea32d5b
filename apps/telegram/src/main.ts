#!/usr/bin/env node
// Skeleton: the telegram plugin is built by the plugins issue. Until then it only
// proves that the contracts load on this runtime.
import { loadContracts } from '@k8slistener/proto';

const service = loadContracts().k8slistener.v1.Notifier.service;
process.stderr.write(
  `k8slistener telegram plugin: not implemented yet (contracts loaded: ${Object.keys(service).join(', ')})\n`,
);
process.exit(1);
