import { fileURLToPath } from 'node:url';
import { loadPackageDefinition } from '@grpc/grpc-js';
import { loadSync, type Options } from '@grpc/proto-loader';
import type { ProtoGrpcType as HealthGrpcType } from './generated/health.ts';
import type { ProtoGrpcType as NotifierGrpcType } from './generated/notifier.ts';

/** Directory holding every .proto file of the system (the repository's proto/). */
export const PROTO_DIR = fileURLToPath(new URL('../../../proto', import.meta.url));

/**
 * How .proto messages become JavaScript objects. scripts/proto-gen.ts passes
 * the same choices to the type generator, so the generated types describe
 * exactly these objects: 64-bit integers as strings (no precision loss), enums
 * as their names, absent scalars as their defaults, and the name of the set
 * member of each oneof.
 */
export const LOADER_OPTIONS: Options = {
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_DIR],
};

export type Contracts = NotifierGrpcType & HealthGrpcType;

let cached: Contracts | undefined;

/** Loads proto/ once per process and returns the typed gRPC package objects. */
export function loadContracts(): Contracts {
  if (cached === undefined) {
    const definition = loadSync(
      ['k8slistener/v1/notifier.proto', 'grpc/health/v1/health.proto'],
      LOADER_OPTIONS,
    );
    cached = loadPackageDefinition(definition) as unknown as Contracts;
  }
  return cached;
}
