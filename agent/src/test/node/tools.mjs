// The two test tools every peer offers, for the current SDK (McpServer + zod) and for SDK 1.0.x
// (low-level Server + hand-written JSON Schema, as servers of that era were written).
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import * as z from 'zod/v4';
import { Server as LegacyServer } from 'sdk-legacy/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from 'sdk-legacy/types.js';

export const ALL_TOOLS = ['echo', 'add'];

const DESCRIPTIONS = {
  echo: 'Echoes the given message back',
  add: 'Adds two numbers',
};

const JSON_SCHEMAS = {
  echo: {
    type: 'object',
    properties: { message: { type: 'string', description: 'Text to echo' } },
    required: ['message'],
  },
  add: {
    type: 'object',
    properties: {
      a: { type: 'number', description: 'First addend' },
      b: { type: 'number', description: 'Second addend' },
    },
    required: ['a', 'b'],
  },
};

function run(name, args) {
  switch (name) {
    case 'echo':
      return { content: [{ type: 'text', text: String(args.message) }] };
    case 'add':
      return { content: [{ type: 'text', text: String(Number(args.a) + Number(args.b)) }] };
    default:
      throw new Error(`Unknown tool: ${name}`);
  }
}

/** A current-SDK McpServer with the selected tools (names from ALL_TOOLS). */
export function currentServer(name, tools) {
  const server = new McpServer({ name, version: '1.0.0' }, { capabilities: { logging: {} } });
  if (tools.includes('echo')) {
    server.registerTool(
      'echo',
      { description: DESCRIPTIONS.echo, inputSchema: { message: z.string().describe('Text to echo') } },
      async (args) => run('echo', args),
    );
  }
  if (tools.includes('add')) {
    server.registerTool(
      'add',
      {
        description: DESCRIPTIONS.add,
        inputSchema: { a: z.number().describe('First addend'), b: z.number().describe('Second addend') },
      },
      async (args) => run('add', args),
    );
  }
  return server;
}

/** An SDK 1.0.x Server with the selected tools. */
export function legacyServer(name, tools) {
  const server = new LegacyServer({ name, version: '1.0.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: tools.map((t) => ({ name: t, description: DESCRIPTIONS[t], inputSchema: JSON_SCHEMAS[t] })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    if (!tools.includes(request.params.name)) {
      throw new Error(`Unknown tool: ${request.params.name}`);
    }
    return run(request.params.name, request.params.arguments ?? {});
  });
  return server;
}
