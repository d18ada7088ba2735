import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { GuardConfig } from '../config/schema';

/** config/serverless-vars.cjs: the very loader `sls package` validates a stage with (not a copy of it). */
type ServerlessVars = {
  loadStageConfig: (stage: string) => GuardConfig;
  loadConfigFile: (file: string, shown?: string) => GuardConfig;
};
const serverlessVars = createRequire(import.meta.url)('../config/serverless-vars.cjs') as ServerlessVars;

/** A stage's configuration as `sls package` validates it, and as written (a scenario's `config:` merges onto it). */
export type StageConfig = {
  origin: string;
  config: GuardConfig;
  raw: Record<string, unknown>;
};

/** `--stage <name>`: config/stages/<name>.yml. Throws the same StageConfigError `sls package` fails with. */
export function loadStage(stage: string): StageConfig {
  const config = serverlessVars.loadStageConfig(stage);
  const origin = `config/stages/${stage}.yml`;
  return { origin, config, raw: readRaw(join(import.meta.dirname, '..', origin)) };
}

/** `--config <file>`: any configuration file, validated the same way. */
export function loadConfig(file: string): StageConfig {
  const config = serverlessVars.loadConfigFile(file);
  return { origin: file, config, raw: readRaw(file) };
}

function readRaw(file: string): Record<string, unknown> {
  return parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}
