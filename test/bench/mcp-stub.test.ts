// The benches' stub tools server, as an agent's MCP client meets it: a floor whose client drops its tools measures a
// session offering none.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { describe, expect, it } from 'vitest';
import { mcpStub } from '../../bench/lib.mjs';

const TOOL = { name: 'list_tasks', description: 'stub', inputSchema: { type: 'object', properties: {} } };

describe('mcpStub', () => {
  it("lists its tools to the SDK's http client with no transport error, its stream asked for and declined", async () => {
    const stub = await mcpStub([TOOL]);
    const errors: Error[] = [];
    // Every request the client makes, to wait for the stream it asks for without waiting itself.
    const sent: Array<Promise<unknown>> = [];
    const methods: string[] = [];
    const client = new Client({ name: 'agent', version: '0' });
    client.onerror = (err) => errors.push(err);
    const transport = new StreamableHTTPClientTransport(new URL(stub.url), {
      fetch: (input, init) => {
        methods.push(init?.method ?? 'GET');
        const response = fetch(input, init);
        sent.push(response.catch(() => undefined));
        return response;
      },
    });
    try {
      await client.connect(transport);
      const { tools } = await client.listTools();
      await Promise.all(sent);
      expect(tools.map((t) => t.name)).toEqual(['list_tasks']);
      expect(stub.listings()).toBe(1);
      expect(methods).toContain('GET');
      expect(errors).toEqual([]);
    } finally {
      await client.close();
      stub.close();
    }
  });
});
