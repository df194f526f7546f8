// Real MCP servers for the agent's probe integration tests. One process, one server:
//
//   node servers.mjs <mode> [--port N] [--tools echo,add] [--resumable]
//   node servers.mjs bearer --token T [--client-id ID] [--client-secret S] [...]
//
// HTTP modes bind 127.0.0.1 (port 0 unless --port; --port reuses a port after a restart) and print
// exactly one stdout line, `LISTENING <port>`, once the socket is bound; logs go to stderr. The MCP
// endpoint is /mcp (streamable modes) or /sse + /messages (sse-legacy, sse-current) or /sse +
// /message (everything-sse). stdio speaks newline-delimited JSON-RPC on stdin/stdout.
// Every mode exits when stdin closes or on SIGTERM.
//
// Modes: streamable-stateful, streamable-stateless, streamable-json, bearer, internal-error,
// sse-legacy, sse-current, everything-streamable, everything-sse, stdio.
import http from 'node:http';
import { webcrypto } from 'node:crypto';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { ALL_TOOLS, currentServer } from './tools.mjs';
import { statefulApp, statelessApp } from './streamable.mjs';
import { bearerAuth } from './auth.mjs';
import { sseApp } from './sse.mjs';
import { startEverything } from './everything.mjs';

// Node 18 (Debian 12's nodejs) has Web Crypto only as node:crypto's webcrypto; the SDK's transports
// use the global one (crypto.randomUUID). Node 20+ has it, and this changes nothing there.
if (!globalThis.crypto) globalThis.crypto = webcrypto;

function usage(message) {
  process.stderr.write(`servers.mjs: ${message}\n`);
  process.exit(2);
}

function parse(argv) {
  const options = {
    mode: argv[0], port: 0, tools: ALL_TOOLS, token: undefined, resumable: false,
    clientId: 'fleetpulse-agent', clientSecret: undefined,
  };
  for (let i = 1; i < argv.length; i++) {
    const value = () => (i + 1 < argv.length ? argv[++i] : usage(`${argv[i]} needs a value`));
    switch (argv[i]) {
      case '--port': {
        const port = Number(value());
        if (!Number.isInteger(port) || port < 0 || port > 65535) usage(`--port: not a port: ${argv[i]}`);
        options.port = port;
        break;
      }
      case '--tools': {
        const tools = value().split(',').filter((t) => t !== '');
        const unknown = tools.filter((t) => !ALL_TOOLS.includes(t));
        if (unknown.length) usage(`--tools: unknown tool(s) ${unknown.join(',')} (known: ${ALL_TOOLS.join(',')})`);
        options.tools = tools;
        break;
      }
      case '--token':
        options.token = value();
        break;
      case '--client-id':
        options.clientId = value();
        break;
      case '--client-secret':
        options.clientSecret = value();
        break;
      case '--resumable':
        options.resumable = true;
        break;
      default:
        usage(`unknown argument ${argv[i]}`);
    }
  }
  return options;
}

/** Binds 127.0.0.1:port, then serves build(boundPort) and announces the port. */
function serve(port, build) {
  const server = http.createServer();
  server.once('error', (error) => {
    process.stderr.write(`servers.mjs: cannot listen on 127.0.0.1:${port}: ${error.message}\n`);
    process.exit(1);
  });
  server.listen(port, '127.0.0.1', () => {
    const bound = server.address().port;
    server.on('request', build(bound));
    announce(bound);
  });
}

function announce(port) {
  process.stdout.write(`LISTENING ${port}\n`);
}

// Raised inside the request handler of every POST, as a server whose backend is down does; the
// SDK example's catch branch turns it into HTTP 500 + JSON-RPC -32603.
const BACKEND_DOWN = new Error('connect ECONNREFUSED 127.0.0.1:5432 (tool backend unavailable)');

async function main() {
  const options = parse(process.argv.slice(2));
  const everythingOnly = options.mode && options.mode.startsWith('everything-');
  if (everythingOnly && options.tools !== ALL_TOOLS) {
    usage(`${options.mode} has server-everything's own tools; --tools does not apply`);
  }
  const authFlags = options.token !== undefined || options.clientSecret !== undefined;
  if (authFlags && options.mode !== 'bearer') usage('--token and --client-secret apply to bearer only');

  // stdout carries only the LISTENING line (or, for stdio, the protocol): logs go to stderr.
  console.log = console.error;
  console.info = console.error;

  const tools = options.tools;
  switch (options.mode) {
    case 'streamable-stateful':
      return serve(options.port, () => statefulApp({ tools, json: false, resumable: options.resumable }));
    case 'streamable-json':
      return serve(options.port, () => statefulApp({ tools, json: true, resumable: options.resumable }));
    case 'streamable-stateless':
      return serve(options.port, () => statelessApp({ tools }));
    case 'bearer':
      if (!options.token) usage('bearer needs --token T');
      return serve(options.port, (port) =>
        statefulApp({ tools, json: false, resumable: options.resumable, auth: (app) => bearerAuth(app, port, options) }),
      );
    case 'internal-error':
      return serve(options.port, () => statefulApp({ tools, failWith: BACKEND_DOWN }));
    case 'sse-legacy':
      return serve(options.port, () => sseApp({ tools, legacy: true }));
    case 'sse-current':
      return serve(options.port, () => sseApp({ tools, legacy: false }));
    case 'everything-streamable':
      return startEverything('streamableHttp', options.port, announce);
    case 'everything-sse':
      return startEverything('sse', options.port, announce);
    case 'stdio':
      return currentServer('fleetpulse-test-stdio', tools).connect(new StdioServerTransport());
    default:
      usage(`unknown mode ${options.mode}; one of streamable-stateful, streamable-stateless, streamable-json, ` +
        'bearer, internal-error, sse-legacy, sse-current, everything-streamable, everything-sse, stdio');
  }
}

// The parent holds our stdin: when it goes away (closed pipe, killed test JVM) so do we.
process.stdin.on('end', () => process.exit(0));
process.stdin.on('close', () => process.exit(0));
if (process.argv[2] !== 'stdio') process.stdin.resume();
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));

await main();
