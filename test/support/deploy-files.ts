import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/**
 * The deployment files (Dockerfile, compose.yaml) as the tests read them: they cannot be built
 * or run on these machines, so what can be checked without a container runtime is checked from
 * their text.
 */
export interface DockerStage {
  from: string;
  name: string | undefined;
  /** Each instruction with its arguments, continuation lines joined, comments dropped. */
  instructions: Array<{ keyword: string; args: string }>;
}

export function dockerfileStages(text = readFileSync('Dockerfile', 'utf8')): DockerStage[] {
  const logical = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const stages: DockerStage[] = [];
  for (const line of logical) {
    const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    if (keyword.toUpperCase() === 'FROM') {
      const [, from = '', name] = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(args) ?? [];
      stages.push({ from, name, instructions: [] });
    } else if (stages.length > 0) {
      stages.at(-1)!.instructions.push({ keyword: keyword.toUpperCase(), args });
    }
  }
  return stages;
}

/** A COPY's sources and destination, its --flags apart. */
export function copyPaths(args: string): { flags: string[]; sources: string[]; destination: string } {
  const words = args.split(/\s+/);
  const flags = words.filter((w) => w.startsWith('--'));
  const paths = words.filter((w) => !w.startsWith('--'));
  return { flags, sources: paths.slice(0, -1), destination: paths.at(-1)! };
}

/** An exec-form instruction's argument list (CMD ["node", "…"]). */
export function execForm(args: string): string[] {
  const json = args.slice(args.indexOf('['));
  return JSON.parse(json) as string[];
}

export interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string | number | boolean | null>;
  env_file?: string | string[];
  depends_on?: Record<string, { condition: string }>;
  deploy?: { replicas?: number };
  healthcheck?: { test?: string[]; disable?: boolean };
  volumes?: string[];
  ports?: string[];
  restart?: string;
  stop_grace_period?: string;
}

/** compose.yaml with its anchors and merge keys resolved, as Compose reads it. */
export function composeFile(text = readFileSync('compose.yaml', 'utf8')): { services: Record<string, ComposeService>; volumes?: Record<string, unknown> } {
  return parse(text, { merge: true }) as { services: Record<string, ComposeService>; volumes?: Record<string, unknown> };
}
