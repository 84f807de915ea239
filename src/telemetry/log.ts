import { pino, type Logger, type LevelWithSilent } from 'pino';

/**
 * JSON logs on stdout. Credentials never reach a log line: the usual headers are redacted wherever
 * they appear, and adapters log upstream paths, not full URLs.
 */
export function createLogger(level: LevelWithSilent = 'info'): Logger {
  return pino({
    level,
    base: { service: 'metric-gateway' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        'req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie',
        '*.apiKey', '*.apiToken', '*.privateToken', '*.publicToken', '*.password', '*.token',
      ],
      censor: '[redacted]',
    },
  });
}

export type { Logger };
