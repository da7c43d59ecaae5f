import net from 'node:net';

/** A start-up failure whose message is the whole story: printed as one line, no stack. */
export class StartError extends Error {}

/**
 * Fails at once, naming PORT, when the HTTP port is taken: before the database starts and
 * migrations run, not after. (Port 0 means any free port: nothing to check.)
 */
export function assertPortFree(port: number, host: string): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(new StartError(`port ${port} on ${host} is taken: stop what uses it or set PORT to a free port`));
      else if (error.code === 'EACCES') reject(new StartError(`port ${port} on ${host} needs privileges: set PORT to a port above 1023`));
      else reject(error);
    });
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}
