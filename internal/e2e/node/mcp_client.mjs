// An MCP client built on the official TypeScript SDK, driven by internal/e2e's tests.
//
//   node mcp_client.mjs stdio COMMAND [ARGS...]   start COMMAND and speak MCP on its stdio
//   node mcp_client.mjs http URL [TOKEN]          streamable HTTP, with a bearer token if given
//
// It lists the tools, calls plan with $MCP_REQUEST (the SDK checks the structured content
// against the tool's output schema), calls plan with a request no tool fits, reads the
// registry resource, calls run with $MCP_REQUEST as a dry run, and prints one JSON object
// with what it saw. Assertions are the Go test's.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const [mode, target, ...rest] = process.argv.slice(2);
const request = process.env.MCP_REQUEST;
if (!mode || !target || !request) {
  console.error('usage: MCP_REQUEST=... node mcp_client.mjs stdio COMMAND [ARGS...] | http URL [TOKEN]');
  process.exit(2);
}

let transport;
if (mode === 'stdio') {
  transport = new StdioClientTransport({ command: target, args: rest, stderr: 'inherit', cwd: process.cwd() });
} else if (mode === 'http') {
  const headers = rest[0] ? { Authorization: `Bearer ${rest[0]}` } : {};
  transport = new StreamableHTTPClientTransport(new URL(target), { requestInit: { headers } });
} else {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}

const client = new Client({ name: 'planwise-e2e-ts', version: '1.0.0' });
await client.connect(transport);

const texts = (res) => (res.content ?? []).filter((c) => c.type === 'text').map((c) => c.text);
const out = { server: client.getServerVersion() };

const listed = await client.listTools();
out.tools = listed.tools.map((t) => ({ name: t.name, output_schema: Boolean(t.outputSchema) }));

const plan = await client.callTool({ name: 'plan', arguments: { request } });
out.plan = { is_error: Boolean(plan.isError), structured: plan.structuredContent ?? null, text: texts(plan) };

const refused = await client.callTool({ name: 'plan', arguments: { request: 'xyzzy plugh frobnicate' } });
out.refused = { is_error: Boolean(refused.isError), text: texts(refused) };

const invalid = await client.callTool({ name: 'plan', arguments: {} });
out.invalid = { is_error: Boolean(invalid.isError), text: texts(invalid) };

const resource = await client.readResource({ uri: 'planwise://registry' });
out.registry = JSON.parse(resource.contents[0].text);

const run = await client.callTool({ name: 'run', arguments: { request, dry_run: true } });
out.run = { is_error: Boolean(run.isError), structured: run.structuredContent ?? null, text: texts(run) };

await client.close();
console.log(JSON.stringify(out));
