/** Types of scripts/openapi-types.mjs, for the test that checks its output. */
export declare const API_TYPES_PATH: string;
/** The TypeScript source of src/cli/api-types.ts for an OpenAPI document. */
export declare function renderApiTypes(document: unknown): Promise<string>;
