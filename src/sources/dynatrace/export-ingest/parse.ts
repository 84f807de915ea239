import type { ParsedExport } from './document.js';
import { parseExportFormat } from './export-format.js';
import { fail, isObject, shown } from './problem.js';
import { parseQueryResponse } from './query-response-format.js';

/**
 * Reads an export document in either accepted format, checked whole. Throws ExportDocumentError
 * naming the JSON path and the reason at the first problem; nothing of a refused document is kept.
 */
export function parseExport(text: string): ParsedExport {
  return parseExportValue(readJson(text));
}

/** The JSON of a file, or ExportDocumentError at `$` saying why it is not JSON. */
export function readJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    fail('$', `is not valid JSON (${(error as Error).message})`);
  }
}

export function parseExportValue(root: unknown): ParsedExport {
  if (!isObject(root)) fail('$', `must be an export object; got ${shown(root)}`);
  if ('timeframe' in root || 'metrics' in root) return parseExportFormat(root);
  if ('result' in root || 'resolution' in root) return parseQueryResponse(root);
  fail(
    '$',
    'is neither an export document ({"timeframe": {"start", "end"}, "metrics": [...]}) nor a saved /api/v2/metrics/query answer ({"resolution", "result": [...]})',
  );
}
