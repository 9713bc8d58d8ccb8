/**
 * HTTPS for the one Itemshop process that stands in for every Xsolla host (ADR 0037): with TLS_CERT_FILE and
 * TLS_KEY_FILE (or `serve --tls-cert/--tls-key`), Fastify creates an `https.Server` instead of an `http.Server`;
 * routes, the pay station, static files and WebSocket upgrades (the `upgrade` event of the same server) are
 * unchanged, so one port answers Store API, realtime socket, pay station, widget and event API paths over TLS.
 */
import { readFileSync } from 'node:fs';
import type { Config } from '../config.js';

/** Fastify's `https` option: the PEM certificate (chain) and private key. */
export interface TlsFiles {
  cert: Buffer;
  key: Buffer;
}

/**
 * Reads the PEM certificate and key named by the configuration: Fastify's `https` option, or undefined (plain HTTP)
 * when the configuration names none.
 * @throws Error naming the file when one cannot be read (a startup failure: one line on stderr, exit 1).
 */
export function tlsOptions(config: Pick<Config, 'tlsCertFile' | 'tlsKeyFile'>): TlsFiles | undefined {
  if (!config.tlsCertFile || !config.tlsKeyFile) return undefined;
  const read = (file: string, what: string) => {
    try {
      return readFileSync(file);
    } catch (e) {
      throw new Error(
        `cannot read the TLS ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
        { cause: e },
      );
    }
  };
  return { cert: read(config.tlsCertFile, 'certificate'), key: read(config.tlsKeyFile, 'key') };
}
