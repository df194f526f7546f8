// HTTP+SSE (2024-11-05) peers: GET /sse opens the stream whose first event is `endpoint`
// (`/messages?sessionId=<uuid>`), POST /messages?sessionId=... carries client messages (202).
import express from 'express';
import { SSEServerTransport as LegacySseTransport } from 'sdk-legacy/server/sse.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { currentServer, legacyServer } from './tools.mjs';

/**
 * legacy: SDK 1.0.4 (its README's express recipe; the transport reads the raw body itself).
 * Otherwise the current SDK's deprecated transport as in its examples/server/simpleSseServer.js.
 */
export function sseApp(options) {
  const app = options.legacy ? express() : createMcpExpressApp({ host: '127.0.0.1' });
  const transports = new Map();

  app.get('/sse', async (req, res) => {
    try {
      const transport = options.legacy
        ? new LegacySseTransport('/messages', res)
        : new SSEServerTransport('/messages', res);
      const sessionId = transport.sessionId;
      transports.set(sessionId, transport);
      transport.onclose = () => transports.delete(sessionId);
      const server = options.legacy
        ? legacyServer('fleetpulse-test-sse-legacy', options.tools)
        : currentServer('fleetpulse-test-sse', options.tools);
      await server.connect(transport);
    } catch (error) {
      console.error('Error establishing SSE stream:', error.message);
      if (!res.headersSent) {
        res.status(500).send('Error establishing SSE stream');
      }
    }
  });

  app.post('/messages', async (req, res) => {
    const sessionId = req.query.sessionId;
    if (!sessionId) {
      res.status(400).send('Missing sessionId parameter');
      return;
    }
    const transport = transports.get(sessionId);
    if (!transport) {
      res.status(404).send('Session not found');
      return;
    }
    try {
      await transport.handlePostMessage(req, res, options.legacy ? undefined : req.body);
    } catch (error) {
      console.error('Error handling request:', error.message);
      if (!res.headersSent) {
        res.status(500).send('Error handling request');
      }
    }
  });
  return app;
}
