import { watch, type FSWatcher } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { ExportIngestor, PreparedDocument } from './ingestor.js';
import { readJson } from './parse.js';
import { ExportDocumentError } from './problem.js';

/**
 * The configured export directory: every `*.json` file in it is ingested at start, and files
 * that appear or change later are ingested when they settle. Files found together go in
 * chronological order of their timeframe, not in name or arrival order. A refused file is
 * reported (file, JSON path, reason) and skipped; the others go ahead. Deleting a file keeps
 * what it brought: ingestion adds usage, like the record store it stands in for.
 */
export class ExportDirectory {
  #watcher: FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;
  readonly #pending = new Set<string>();
  #queue: Promise<void> = Promise.resolve();
  #closed = false;
  /** Why the directory cannot be read, when it cannot. */
  problem: string | undefined;

  constructor(
    readonly dir: string,
    private readonly ingestor: ExportIngestor,
    private readonly log: Logger,
    /** How long a file must be quiet before it is read (writers append in several steps). @default 250 */
    private readonly settleMs = 250,
  ) {}

  /** Ingests what is there now and starts watching. Resolves once the present files are in. */
  start(): Promise<void> {
    return this.#enqueue(async () => {
      let names: string[];
      try {
        names = (await readdir(this.dir)).filter(isExportFile);
      } catch (error) {
        this.problem = `exportDir ${this.dir} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
        this.log.error({ dir: this.dir, err: error }, 'export directory cannot be read');
        return;
      }
      this.#watch();
      await this.#ingest(names);
    });
  }

  /** Resolves when every file seen so far has been handled (tests and shutdown wait on it). */
  idle(): Promise<void> {
    return this.#queue;
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#watcher?.close();
  }

  #watch(): void {
    try {
      this.#watcher = watch(this.dir, (_event, filename) => {
        if (!filename || !isExportFile(filename.toString())) return;
        this.#pending.add(filename.toString());
        clearTimeout(this.#timer);
        this.#timer = setTimeout(() => this.#flush(), this.settleMs);
      });
      this.#watcher.on('error', (error) => {
        this.problem = `exportDir ${this.dir} is no longer watched (${(error as NodeJS.ErrnoException).code ?? error.message})`;
        this.log.error({ dir: this.dir, err: error }, 'export directory watch failed');
      });
    } catch (error) {
      this.problem = `exportDir ${this.dir} cannot be watched (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); files added later need a restart`;
      this.log.error({ dir: this.dir, err: error }, 'export directory cannot be watched');
    }
  }

  #flush(): void {
    const names = [...this.#pending];
    this.#pending.clear();
    void this.#enqueue(() => this.#ingest(names));
  }

  #enqueue(task: () => Promise<void>): Promise<void> {
    this.#queue = this.#queue.then(task).catch((error: unknown) => {
      this.log.error({ dir: this.dir, err: error }, 'export ingestion failed');
    });
    return this.#queue;
  }

  /** Reads, checks and converts every file first, then stores them oldest timeframe first. */
  async #ingest(names: readonly string[]): Promise<void> {
    const prepared: PreparedDocument[] = [];
    for (const name of names) {
      if (this.#closed) return;
      let text: string;
      try {
        text = await readFile(join(this.dir, name), 'utf8');
      } catch (error) {
        // Gone again (a temporary file renamed away) or not a file: nothing to ingest.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.log.warn({ dir: this.dir, file: name, err: error }, 'export file cannot be read');
        continue;
      }
      try {
        prepared.push(await this.ingestor.prepare(name, 'file', readJson(text)));
      } catch (error) {
        if (!(error instanceof ExportDocumentError)) throw error;
        this.ingestor.reject(name, 'file', error);
      }
    }
    prepared.sort(
      (a, b) =>
        (a.parsed.timeframe?.from ?? 0) - (b.parsed.timeframe?.from ?? 0) ||
        (a.parsed.timeframe?.to ?? 0) - (b.parsed.timeframe?.to ?? 0) ||
        (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
    for (const document of prepared) this.ingestor.ingest(document);
  }
}

function isExportFile(name: string): boolean {
  return name.endsWith('.json') && !name.startsWith('.');
}
