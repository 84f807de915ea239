import { mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * The servers under load run as production runs them: plain JavaScript on node, not through the
 * tsx loader, whose on-the-fly compilation adds some 130 MB to the resident set and would hide the
 * gateway's own memory. This transpiles src/ and bench/load/ file by file (no bundling, so every
 * `import.meta.url`-relative path still works) into node_modules/.cache/bench-gateway, with
 * links to the folders read at run time (schema/, the Explore page's sources). Returns the
 * compiled path of `file` (a path under the repository).
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT = join(ROOT, 'node_modules', '.cache', 'bench-gateway');
const PAGE = join('src', 'explore', 'page');

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return path === PAGE ? [] : sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

export async function compileForBench(): Promise<(file: string) => string> {
  rmSync(OUT, { recursive: true, force: true });
  await build({
    entryPoints: [...sources('src'), ...sources(join('bench', 'load'))].map((path) => join(ROOT, path)),
    outdir: OUT,
    outbase: ROOT,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
  });
  for (const linked of ['schema', PAGE, join('src', 'emulators', 'tls')]) {
    mkdirSync(dirname(join(OUT, linked)), { recursive: true });
    rmSync(join(OUT, linked), { recursive: true, force: true });
    symlinkSync(join(ROOT, linked), join(OUT, linked));
  }
  return (file) => join(OUT, relative(ROOT, join(ROOT, file)).replace(/\.ts$/, '.js'));
}
