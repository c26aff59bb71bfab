/**
 * The API's one use of zod schemas: a pipe that checks a body or a query against one (a 400
 * naming each bad field by its path), and the OpenAPI components, each derived from the schema
 * registered under its name.
 */
import { BadRequestException, Body, Query, type PipeTransform } from '@nestjs/common';
import { ApiBody, ApiQuery, getSchemaPath, type OpenAPIObject } from '@nestjs/swagger';
import { z } from 'zod';
import { CANVAS_COMPONENTS, describeIssues } from '../canvas/schema.js';

type SchemaObject = Exclude<NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>[string], { $ref: string }>;

/** The API's component names: the ids it gave schemas in zod's global registry (which an app's own schemas may share). */
const names = new Set<string>();

/**
 * Registers `schema` as the OpenAPI component `name` (an id in zod's global registry, which
 * holds its description too); returns it.
 */
export function component<S extends z.ZodType>(name: string, schema: S): S {
  z.globalRegistry.add(schema, { ...z.globalRegistry.get(schema), id: name });
  names.add(name);
  return schema;
}

for (const [name, schema] of Object.entries(CANVAS_COMPONENTS)) component(name, schema);

/** Schemas checked by code of their own, documented as the component that describes what they accept. */
const documentedAs = new Map<z.ZodType, string>();

/** Documents `schema` as the component `name` (for a field whose check is not a zod schema's, such as a canvas's). */
export function documentAs<S extends z.ZodType>(schema: S, name: string): S {
  documentedAs.set(schema, name);
  return schema;
}

/** A `$ref` to a component registered above. */
function ref(name: string): { $ref: string } {
  return { $ref: getSchemaPath(name) };
}

/** Every registered schema as an OpenAPI 3.0 component. */
export function openApiComponents(): Record<string, SchemaObject> {
  const { schemas } = z.toJSONSchema(z.globalRegistry, { target: 'openapi-3.0', uri: (id) => getSchemaPath(id), unrepresentable: 'any', override: documentRefs });
  return Object.fromEntries(Object.entries(schemas).filter(([name]) => names.has(name)).map(([name, { $id: _id, ...schema }]) => [name, schema as SchemaObject]));
}

/** Puts a `$ref` where a schema is documented as a component (documentAs), keeping its description. */
function documentRefs(ctx: { zodSchema: unknown; jsonSchema: Record<string, unknown> }): void {
  const name = documentedAs.get(ctx.zodSchema as z.ZodType);
  if (!name) return;
  const { description } = ctx.jsonSchema;
  for (const key of Object.keys(ctx.jsonSchema)) delete ctx.jsonSchema[key];
  Object.assign(ctx.jsonSchema, description ? { description, allOf: [ref(name)] } : ref(name));
}

/** Checks a value against `schema`: its parsed output, or a 400 naming each bad field. */
class SchemaPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(private readonly schema: S, private readonly indexes?: 'dots') {}

  transform(value: unknown): z.output<S> {
    const checked = this.schema.safeParse(value ?? {});
    if (checked.success) return checked.data;
    throw new BadRequestException(describeIssues(checked.error.issues, '', this.indexes).map(({ path, message }) => (path ? `${path} ${message}` : message)).join('; '));
  }
}

/**
 * The body, checked against `schema` and documented as its component (or inline, when it has
 * none); `indexes: 'dots'` names list items as proto3 JSON does (`payloads.1.data`).
 */
export function SchemaBody(schema: z.ZodType, options: { description?: string; indexes?: 'dots' } = {}): ParameterDecorator {
  return (target, key, index) => {
    Body(new SchemaPipe(schema, options.indexes))(target, key, index);
    ApiBody({ description: options.description, schema: documented(schema) })(target, key!, Object.getOwnPropertyDescriptor(target, key!)!);
  };
}

/** The query string, checked against `schema`; each of its fields documented as a query parameter. */
export function SchemaQuery(schema: z.ZodObject): ParameterDecorator {
  return (target, key, index) => {
    Query(new SchemaPipe(schema))(target, key, index);
    const json = toOpenApi(schema);
    const required = new Set(json.required ?? []);
    for (const [name, property] of Object.entries(json.properties ?? {})) {
      const { description, ...rest } = property as SchemaObject;
      ApiQuery({ name, required: required.has(name), description, schema: rest })(target, key!, Object.getOwnPropertyDescriptor(target, key!)!);
    }
  };
}

/** A `$ref` to the component `schema` is registered as, else the schema itself. */
export function documented(schema: z.ZodType): SchemaObject | { $ref: string } {
  const name = z.globalRegistry.get(schema)?.id;
  return name ? ref(name) : toOpenApi(schema);
}

/** Documents an answer as `schema` (a `$ref` to its component, or the schema with refs to the components it holds). */
export function answer(schema: z.ZodType, description?: string): { schema: SchemaObject | { $ref: string }; description?: string } {
  return { schema: documented(schema), ...(description ? { description } : {}) };
}

/** `schema` in OpenAPI 3.0, the registered schemas it holds as `$ref`s to their components. */
function toOpenApi(schema: z.ZodType): SchemaObject {
  const { definitions: _held, ...json } = z.toJSONSchema(schema, {
    target: 'openapi-3.0', io: 'input', unrepresentable: 'any', override: documentRefs,
  }) as Record<string, unknown>;
  return toComponentRefs(json) as SchemaObject;
}

/** zod writes the registered schemas a standalone schema holds as local definitions: each is a component already. */
function toComponentRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toComponentRefs);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) =>
    [key, key === '$ref' && typeof inner === 'string' ? inner.replace('#/definitions/', '#/components/schemas/') : toComponentRefs(inner)]));
}
