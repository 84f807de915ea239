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
const PAGE = join('src', 'explore', 'page');

function sources(root: string, dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return path === PAGE ? [] : sources(root, path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

export async function compileForBench(): Promise<(file: string) => string> {
  return compileTree(ROOT, 'bench-gateway');
}

/**
 * The same for any checkout of the repository at `root` (another commit, for an A/B run), into
 * node_modules/.cache/<name> of this one, so its packages resolve from here.
 */
export async function compileTree(root: string, name: string): Promise<(file: string) => string> {
  const out = join(ROOT, 'node_modules', '.cache', name);
  rmSync(out, { recursive: true, force: true });
  await build({
    entryPoints: [...sources(root, 'src'), ...sources(root, join('bench', 'load'))].map((path) => join(root, path)),
    outdir: out,
    outbase: root,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
  });
  for (const linked of ['schema', PAGE, join('src', 'emulators', 'tls')]) {
    mkdirSync(dirname(join(out, linked)), { recursive: true });
    rmSync(join(out, linked), { recursive: true, force: true });
    symlinkSync(join(root, linked), join(out, linked));
  }
  return (file) => join(out, relative(root, join(root, file)).replace(/\.ts$/, '.js'));
}
