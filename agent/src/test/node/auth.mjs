// Bearer protection with the SDK's own auth pieces: requireBearerAuth answers 401 with
// `WWW-Authenticate: Bearer error=..., error_description=..., resource_metadata="<PRM URL>"`, and
// mcpAuthMetadataRouter serves the RFC 9728 protected-resource metadata at the path-suffixed URL
// (/.well-known/oauth-protected-resource/mcp) plus RFC 8414 authorization-server metadata naming
// this server as its own authorization server. Only the token given with --token is valid; the
// SDK has no client_credentials grant, so POST /token is a minimal RFC 6749 §4.4 endpoint that
// issues that token to --client-id/--client-secret (client_secret_basic or client_secret_post;
// without --client-secret every client is refused).
import express from 'express';
import {
  getOAuthProtectedResourceMetadataUrl,
  mcpAuthMetadataRouter,
} from '@modelcontextprotocol/sdk/server/auth/router.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import { InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';

/** Installs the metadata and token routes on app and returns the middleware guarding /mcp. */
export function bearerAuth(app, port, { token, clientId, clientSecret }) {
  const origin = `http://127.0.0.1:${port}`;
  const mcpUrl = new URL(`${origin}/mcp`);
  app.use(
    mcpAuthMetadataRouter({
      oauthMetadata: {
        issuer: `${origin}/`,
        token_endpoint: `${origin}/token`,
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
        response_types_supported: [],
        grant_types_supported: ['client_credentials'],
      },
      resourceServerUrl: mcpUrl,
      resourceName: 'FleetPulse test MCP server',
    }),
  );
  app.post('/token', express.urlencoded({ extended: false }), (req, res) => {
    res.set('Cache-Control', 'no-store');
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
    let [id, secret] = [req.body?.client_id, req.body?.client_secret];
    if (basic) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      [id, secret] = [decodeURIComponent(decoded.slice(0, colon)), decodeURIComponent(decoded.slice(colon + 1))];
    }
    if (clientSecret === undefined || id !== clientId || secret !== clientSecret) {
      if (basic) res.set('WWW-Authenticate', 'Basic realm="token"');
      res.status(401).json({ error: 'invalid_client', error_description: 'Unknown client or wrong secret' });
    } else if (req.body?.grant_type !== 'client_credentials') {
      res.status(400).json({ error: 'unsupported_grant_type', error_description: 'Only client_credentials' });
    } else {
      res.json({ access_token: token, token_type: 'Bearer', expires_in: 3600 });
    }
  });
  return requireBearerAuth({
    verifier: {
      verifyAccessToken: async (presented) => {
        if (presented !== token) {
          throw new InvalidTokenError('Invalid token');
        }
        return {
          token: presented,
          clientId: 'fleetpulse-test',
          scopes: [],
          expiresAt: Math.floor(Date.now() / 1000) + 3600,
        };
      },
    },
    resourceMetadataUrl: getOAuthProtectedResourceMetadataUrl(mcpUrl),
  });
}
