// Runs @modelcontextprotocol/server-everything's own sse or streamableHttp transport module in this
// process, unchanged except for the bind address: it calls app.listen(process.env.PORT), which binds
// every interface, so net.Server#listen is wrapped to add host 127.0.0.1 when none is given.
import net from 'node:net';

const MODULES = {
  sse: '@modelcontextprotocol/server-everything/dist/transports/sse.js',
  streamableHttp: '@modelcontextprotocol/server-everything/dist/transports/streamableHttp.js',
};

/** Starts the transport; onListening(port) is called once the socket is bound. */
export async function startEverything(transport, port, onListening) {
  const originalListen = net.Server.prototype.listen;
  net.Server.prototype.listen = function (...args) {
    const portOnly = (typeof args[0] === 'number' || typeof args[0] === 'string') && typeof args[1] !== 'string';
    if (portOnly) {
      args.splice(1, 0, '127.0.0.1');
    }
    this.once('listening', () => onListening(this.address().port));
    net.Server.prototype.listen = originalListen;
    return originalListen.apply(this, args);
  };
  process.env.PORT = String(port);
  await import(MODULES[transport]);
}
