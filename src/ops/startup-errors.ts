/**
 * Clear start-up errors of the HTTP listener (issue 15 item 3): a port in use, a port that needs privileges, an
 * address this machine does not have — each one sentence saying what is wrong and what to do. The database's
 * start-up errors are described where the connection is made (src/db/connect.ts).
 */

/** The error to report for a failed `listen` on `host:port`: a clearer Error for the known causes, else `e`. */
export function describeListenError(e: unknown, host: string, port: number): unknown {
  const code = (e as { code?: string })?.code;
  const where = `${host}:${port}`;
  const fail = (message: string) => new Error(message, { cause: e });
  switch (code) {
    case 'EADDRINUSE':
      return fail(
        `port ${port} is already in use (${where}) — stop the program using it, or choose another port with --port <n> or PORT`,
      );
    case 'EACCES':
      return fail(
        `not allowed to listen on port ${port} (${where}): ports below 1024 need privileges — choose a port above 1023 with --port <n> or PORT`,
      );
    case 'EADDRNOTAVAIL':
      return fail(
        `cannot listen on ${host}: this machine has no such address — set HOST (or --host) to one of its addresses, or 0.0.0.0 for all`,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return fail(
        `cannot listen on ${host}: the host name is not known — set HOST (or --host) to an address`,
      );
    default:
      return e;
  }
}
