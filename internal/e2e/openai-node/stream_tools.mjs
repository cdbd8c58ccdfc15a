// Drives planwise sim with the official openai npm client, as a user who points their own
// code at it would: a streamed tool-calling request (chunks accumulated by hand, and by the
// SDK's own stream helper), and a strict schema OpenAI would refuse. Prints one JSON line
// for the Go test to check. Usage: node stream_tools.mjs BASE_URL
import OpenAI from 'openai';

const baseURL = process.argv[2];
const client = new OpenAI({ baseURL, apiKey: 'test', maxRetries: 0 });
const tools = [
  { type: 'function', function: { name: 'get_weather', description: 'Get the weather forecast for a city on a day', strict: true,
    parameters: { type: 'object', additionalProperties: false, required: ['location', 'date'],
      properties: { location: { type: 'string', description: 'the city' }, date: { type: ['string', 'null'], description: 'the day' } } } } },
  { type: 'function', function: { name: 'send_sms', description: 'Send an SMS text message to a phone number',
    parameters: { type: 'object', required: ['phone_number', 'content'],
      properties: { phone_number: { type: 'string' }, content: { type: 'string' } } } } },
];
const messages = [{ role: 'user', content: 'Get the weather in Oslo and then text it to +1 555 010 2233' }];

const out = { chunks: 0, calls: [], finish: null, usage: null };
const stream = await client.chat.completions.create({
  model: 'gpt-4o-mini', messages, tools, stream: true, stream_options: { include_usage: true },
});
for await (const chunk of stream) {
  out.chunks++;
  if (chunk.usage) out.usage = chunk.usage;
  for (const choice of chunk.choices) {
    if (choice.finish_reason) out.finish = choice.finish_reason;
    for (const tc of choice.delta.tool_calls ?? []) {
      const c = (out.calls[tc.index] ??= { id: '', name: '', arguments: '' });
      if (tc.id) c.id = tc.id;
      if (tc.function?.name) c.name += tc.function.name;
      if (tc.function?.arguments) c.arguments += tc.function.arguments;
    }
  }
}

const runner = client.chat.completions.stream({ model: 'gpt-4o-mini', messages, tools });
const final = await runner.finalChatCompletion();
out.helperCalls = (final.choices[0].message.tool_calls ?? []).map((c) => c.function.name);

try {
  await client.chat.completions.create({
    model: 'gpt-4o', messages,
    response_format: { type: 'json_schema', json_schema: { name: 'loose', strict: true,
      schema: { type: 'object', properties: { a: { type: 'string' } } } } },
  });
  out.strictError = null;
} catch (e) {
  out.strictError = { status: e.status, type: e.type, code: e.code, param: e.param, message: e.message };
}
console.log(JSON.stringify(out));
