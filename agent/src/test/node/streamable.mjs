// Streamable HTTP peers on the current SDK, written the way the SDK's own example servers are
// (examples/server/simpleStreamableHttp.js, jsonResponseStreamableHttp.js and
// simpleStatelessStreamableHttp.js in @modelcontextprotocol/sdk 1.32.x): express app from
// createMcpExpressApp (Host-header validation for 127.0.0.1, express.json()), one transport per
// session, the examples' error answers.
import { randomUUID } from 'node:crypto';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { InMemoryEventStore } from '@modelcontextprotocol/sdk/examples/shared/inMemoryEventStore.js';
import { currentServer } from './tools.mjs';

const jsonError = (code, message) => ({ jsonrpc: '2.0', error: { code, message }, id: null });

/**
 * Session-based server. options: { tools, json (enableJsonResponse), resumable (event store),
 * auth (app => express middleware put before every /mcp route; it may add routes), failWith (an Error thrown while handling
 * every POST, as a broken backend would) }.
 */
export function statefulApp(options) {
  const app = createMcpExpressApp({ host: '127.0.0.1' });
  const sessions = new Map();
  const guard = options.auth ? [options.auth(app)] : [];

  app.post('/mcp', ...guard, async (req, res) => {
    const sessionId = req.headers['mcp-session-id'];
    try {
      if (options.failWith) {
        throw options.failWith;
      }
      const transport = sessionId ? sessions.get(sessionId) : undefined;
      if (transport) {
        await transport.handleRequest(req, res, req.body);
      } else if (!sessionId && isInitializeRequest(req.body)) {
        const created = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          enableJsonResponse: options.json,
          eventStore: options.resumable ? new InMemoryEventStore() : undefined,
          onsessioninitialized: (sid) => sessions.set(sid, created),
        });
        created.onclose = () => {
          if (created.sessionId) {
            sessions.delete(created.sessionId);
          }
        };
        await currentServer('fleetpulse-test-streamable', options.tools).connect(created);
        await created.handleRequest(req, res, req.body);
      } else if (sessionId) {
        // SDK 1.32 examples: an unknown (stale) session id is 404 -32001 "Session not found".
        res.status(404).json(jsonError(-32001, 'Session not found'));
      } else {
        res.status(400).json(jsonError(-32000, 'Bad Request: No valid session ID provided'));
      }
    } catch (error) {
      console.error('Error handling MCP request:', error.message);
      if (!res.headersSent) {
        res.status(500).json(jsonError(-32603, 'Internal server error'));
      }
    }
  });

  const sessionRoute = async (req, res) => {
    const sessionId = req.headers['mcp-session-id'];
    if (!sessionId) {
      res.status(400).send('Missing session ID');
      return;
    }
    const transport = sessions.get(sessionId);
    if (!transport) {
      res.status(404).json(jsonError(-32001, 'Session not found'));
      return;
    }
    try {
      await transport.handleRequest(req, res);
    } catch (error) {
      console.error('Error handling session request:', error.message);
      if (!res.headersSent) {
        res.status(500).send('Error processing session request');
      }
    }
  };
  app.get('/mcp', ...guard, sessionRoute);
  app.delete('/mcp', ...guard, sessionRoute);
  return app;
}

/** No sessions: a new server and transport for every POST; GET and DELETE are 405. */
export function statelessApp(options) {
  const app = createMcpExpressApp({ host: '127.0.0.1' });
  app.post('/mcp', async (req, res) => {
    const server = currentServer('fleetpulse-test-stateless', options.tools);
    try {
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      await server.connect(transport);
      await transport.handleRequest(req, res, req.body);
      res.on('close', () => {
        transport.close();
        server.close();
      });
    } catch (error) {
      console.error('Error handling MCP request:', error.message);
      if (!res.headersSent) {
        res.status(500).json(jsonError(-32603, 'Internal server error'));
      }
    }
  });
  const notAllowed = (req, res) => {
    res.writeHead(405).end(JSON.stringify(jsonError(-32000, 'Method not allowed.')));
  };
  app.get('/mcp', notAllowed);
  app.delete('/mcp', notAllowed);
  return app;
}
