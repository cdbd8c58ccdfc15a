// Validates an OpenAPI document with @apidevtools/swagger-parser (the OpenAPI 3.1 JSON
// Schema, $ref resolution, unique operationIds) and prints one JSON line.
// Usage: node validate.mjs FILE
import SwaggerParser from "@apidevtools/swagger-parser";

const file = process.argv[2];
try {
  const api = await SwaggerParser.validate(file);
  const ops = Object.values(api.paths || {}).flatMap((p) => Object.keys(p));
  console.log(JSON.stringify({ valid: true, openapi: api.openapi, paths: Object.keys(api.paths || {}).length, operations: ops.length }));
} catch (e) {
  console.log(JSON.stringify({ valid: false, error: String(e && e.message ? e.message : e) }));
  process.exitCode = 1;
}
