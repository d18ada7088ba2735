/**
 * Each function's bundle as serverless-esbuild builds it (serverless.yml `custom.esbuild`), its zip, what dominates it
 * (esbuild's metafile), and a baseline bundle of only the AWS SDK clients it bundles.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build, type BuildOptions, type Metafile } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '../..');

/** serverless.yml custom.esbuild, as far as it shapes the bundle. */
export const ESBUILD: BuildOptions = {
  bundle: true,
  minify: true,
  sourcemap: false,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  mainFields: ['module', 'main'],
  legalComments: 'none',
  metafile: true,
  logLevel: 'silent',
  alias: {
    '@aws-sdk/credential-provider-node': join(ROOT, 'lib/aws/lambda-credentials.ts'),
    '@aws-sdk/endpoint-cache': join(ROOT, 'lib/aws/endpoint-cache.ts'),
    'node:stream/web': join(ROOT, 'lib/stream-web-on-demand.cjs'),
  },
};

export type Bundle = {
  name: string;
  file: string;
  rawBytes: number;
  zipBytes: number;
  /** The largest contributors: an npm package, or the project's own top-level folder. */
  top: { input: string; bytes: number }[];
  sdkClients: string[];
  baseline: { file: string; rawBytes: number };
  /** The baseline with each client constructed (`new XClient({})`), as the functions do at import. */
  constructed: { file: string };
};

const camel = (dir: string) => dir.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

export function functionEntries(): { name: string; entry: string }[] {
  return readdirSync(join(ROOT, 'handlers'))
    .filter((dir) => existsSync(join(ROOT, 'handlers', dir, 'handler.ts')))
    .map((dir) => ({ name: camel(dir), entry: join(ROOT, 'handlers', dir, 'handler.ts') }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** `node_modules/@aws-sdk/client-ssm/dist-es/…` → `@aws-sdk/client-ssm`; project files → their top folder. */
function owner(input: string): string {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (m) return m[1]!;
  return `project: ${input.split('/')[0]}/`;
}

function contributors(meta: Metafile, outfile: string): Map<string, number> {
  const key = Object.keys(meta.outputs).find((o) => resolve(ROOT, o) === outfile)!;
  const totals = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(meta.outputs[key]!.inputs)) {
    const o = owner(input);
    totals.set(o, (totals.get(o) ?? 0) + bytesInOutput);
  }
  return totals;
}

function zipSize(dir: string, file: string): number {
  const zip = join(dir, 'fn.zip');
  execFileSync('zip', ['-q', '-X', '-j', zip, file]);
  return statSync(zip).size;
}

export async function buildBundles(outDir: string): Promise<Bundle[]> {
  const bundles: Bundle[] = [];
  for (const fn of functionEntries()) {
    const dir = join(outDir, fn.name);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'handler.cjs');
    const result = await build({ ...ESBUILD, entryPoints: [fn.entry], outfile: file, absWorkingDir: ROOT });
    const totals = contributors(result.metafile!, file);
    const sdkClients = [...totals.keys()].filter((k) => k.startsWith('@aws-sdk/client-')).sort();
    // The floor: the same SDK clients constructed, nothing of the guard.
    const baselineSource =
      sdkClients
        .map((pkg, i) => {
          const cls = `${pkg
            .replace('@aws-sdk/client-', '')
            .split('-')
            .map((w) =>
              w === 'dynamodb'
                ? 'DynamoDB'
                : w === 'ecs' || w === 'ssm'
                  ? w.toUpperCase()
                  : w[0]!.toUpperCase() + w.slice(1),
            )
            .join('')}Client`;
          // ESM imports, so esbuild tree-shakes each package to its client as it does for the function.
          return `import { ${fixClass(cls)} as C${i} } from '${pkg}';\nexport const c${i} = C${i};`;
        })
        .join('\n') || 'export {};';
    const baselineFile = join(dir, 'baseline.cjs');
    await build({
      ...ESBUILD,
      stdin: { contents: baselineSource, resolveDir: ROOT, loader: 'js' },
      outfile: baselineFile,
      absWorkingDir: ROOT,
    });
    // The same clients constructed once each, as every function does at import (a client cannot be used unbuilt).
    const constructedSource = baselineSource.replace(
      /export const (c\d+) = (C\d+);/g,
      'export const $1 = new $2({});',
    );
    const constructedFile = join(dir, 'baseline-constructed.cjs');
    await build({
      ...ESBUILD,
      stdin: { contents: constructedSource, resolveDir: ROOT, loader: 'js' },
      outfile: constructedFile,
      absWorkingDir: ROOT,
    });
    bundles.push({
      name: fn.name,
      file,
      rawBytes: statSync(file).size,
      zipBytes: zipSize(dir, file),
      top: [...totals]
        .map(([input, bytes]) => ({ input, bytes }))
        .sort((a, b) => b.bytes - a.bytes)
        .slice(0, 6),
      sdkClients,
      baseline: { file: baselineFile, rawBytes: statSync(baselineFile).size },
      constructed: { file: constructedFile },
    });
  }
  return bundles;
}

/** The SDK's own spellings of the client classes that do not follow the package name. */
function fixClass(cls: string): string {
  const known: Record<string, string> = {
    CloudwatchClient: 'CloudWatchClient',
    CodedeployClient: 'CodeDeployClient',
    CodepipelineClient: 'CodePipelineClient',
    EventbridgeClient: 'EventBridgeClient',
    ResourceGroupsTaggingApiClient: 'ResourceGroupsTaggingAPIClient',
    SchedulerClient: 'SchedulerClient',
    StsClient: 'STSClient',
  };
  return known[cls] ?? cls;
}
