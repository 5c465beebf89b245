import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

/**
 * Lets `app.close()` finish while keep-alive clients hold their connections open. Closing the
 * server stops new connections and closes the idle ones, but a connection that was answering a
 * request at that moment answers it with `Connection: keep-alive` and then waits for a next
 * request that a client being drained may never send: the close then waits for the client's
 * idle timeout. So once the server drains, every connection ends after its response: idle ones
 * at once, busy ones with `Connection: close` on the answer in flight (or, when its head is
 * already sent, right after it).
 */
export function closeConnectionsOnDrain(app: FastifyInstance): void {
  /** Every open connection, with the responses it is still writing. */
  const connections = new Map<Socket, Set<ServerResponse>>();
  let draining = false;

  const endAfterResponse = (response: ServerResponse) => {
    if (!response.headersSent) response.setHeader('connection', 'close');
  };

  app.server.on('connection', (socket: Socket) => {
    connections.set(socket, new Set());
    socket.once('close', () => connections.delete(socket));
  });
  app.server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const socket = request.socket;
    const inFlight = connections.get(socket);
    if (!inFlight) return;
    inFlight.add(response);
    if (draining) endAfterResponse(response);
    response.once('close', () => {
      inFlight.delete(response);
      if (draining && inFlight.size === 0) socket.destroySoon();
    });
  });
  app.addHook('preClose', (done) => {
    draining = true;
    for (const [socket, inFlight] of connections) {
      if (inFlight.size === 0) socket.destroySoon();
      else inFlight.forEach(endAfterResponse);
    }
    done();
  });
}
