/**
 * What the operator pages know about the running server beyond its configuration: the demo store's credentials,
 * set by the server entry once the demo is seeded (server.ts), read at request time by `/docs` and `GET /`.
 */
import type { DemoCredentials } from '../demo/credentials.js';

export interface OpsState {
  /** The demo store's ids and credentials, when the server runs with `--demo`. */
  demo?: DemoCredentials;
}
