#!/usr/bin/env node
// Checks what the running system does against the contracts, for the end-to-end tests:
//
//   check.mjs routes <openapi.yaml> <routes.json>
//     routes.json: [{"method":"GET","path":"/api/v1/catalog/products/{id}","access":"public"|
//     "authenticated"|["ADMIN",…]}, …], every public route of every service. The OpenAPI document
//     must be valid OpenAPI 3, hold every route with the same access (x-roles), and hold no
//     operation that no service serves.
//   check.mjs events <asyncapi.yaml> <events.json>
//     events.json: [envelope, …] as captured from the broker. Each must validate against the JSON
//     Schema of its type's message.
//
// Exit code 0 when everything matches; otherwise 1, with one line per problem on stderr.
import { readFileSync } from 'node:fs';
import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv from 'ajv';
import YAML from 'yaml';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];

function readYaml(path) {
  return YAML.parse(readFileSync(path, 'utf8'));
}

function sameAccess(documented, served) {
  if (typeof documented === 'string' || typeof served === 'string') return documented === served;
  return JSON.stringify([...documented].sort()) === JSON.stringify([...served].sort());
}

async function checkRoutes(openapiPath, routesPath) {
  const problems = [];
  try {
    await SwaggerParser.validate(openapiPath);
  } catch (error) {
    problems.push(`${openapiPath} is not valid OpenAPI: ${error.message}`);
  }
  const document = readYaml(openapiPath);
  const routes = JSON.parse(readFileSync(routesPath, 'utf8'));
  const served = new Set();
  for (const route of routes) {
    const method = route.method.toLowerCase();
    served.add(`${method} ${route.path}`);
    const operation = document.paths?.[route.path]?.[method];
    if (!operation) {
      problems.push(`${route.method} ${route.path} is served but not in ${openapiPath}`);
    } else if (!sameAccess(operation['x-roles'], route.access)) {
      problems.push(`${route.method} ${route.path}: x-roles ${JSON.stringify(operation['x-roles'])} but the service requires ${JSON.stringify(route.access)}`);
    }
  }
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of METHODS) {
      if (item[method] && !served.has(`${method} ${path}`)) {
        problems.push(`${method.toUpperCase()} ${path} is in ${openapiPath} but no service serves it`);
      }
    }
  }
  return { problems, summary: `${routes.length} routes` };
}

function checkEvents(asyncapiPath, eventsPath) {
  const problems = [];
  const document = readYaml(asyncapiPath);
  const events = JSON.parse(readFileSync(eventsPath, 'utf8'));
  // The whole document is one schema resource, so '#/components/schemas/…' references resolve.
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addSchema(document, 'asyncapi');
  const counts = {};
  for (const event of events) {
    const type = event?.type;
    if (!document.components?.messages?.[type]) {
      problems.push(`event ${event?.id} of type ${type} has no message in ${asyncapiPath}`);
      continue;
    }
    const validate = ajv.getSchema(`asyncapi#/components/messages/${type}/payload`);
    if (!validate(event)) {
      const errors = validate.errors.map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
      problems.push(`event ${event.id} (${type}) does not match its schema: ${errors}`);
    }
    counts[type] = (counts[type] ?? 0) + 1;
  }
  return { problems, summary: `${events.length} events: ${JSON.stringify(counts)}` };
}

const [mode, contract, input] = process.argv.slice(2);
let result;
if (mode === 'routes' && contract && input) {
  result = await checkRoutes(contract, input);
} else if (mode === 'events' && contract && input) {
  result = checkEvents(contract, input);
} else {
  console.error('usage: check.mjs routes <openapi.yaml> <routes.json> | events <asyncapi.yaml> <events.json>');
  process.exit(2);
}
for (const problem of result.problems) console.error(problem);
console.log(`${result.problems.length === 0 ? 'ok' : 'FAILED'}: ${result.summary}`);
process.exit(result.problems.length === 0 ? 0 : 1);
