import { z } from 'zod';

/**
 * The Foundry app manifest as the sample apps write it (foundry-platform.md §2). The platform publishes no
 * schema, so this model is the safe set the samples and the CLI agree on, strict where a typo would
 * silently do nothing.
 */
const cspSchema = z
  .object({
    'connect-src': z.array(z.string()),
    'style-src': z.array(z.string()),
    'style-src-elem': z.array(z.string()),
    'script-src': z.array(z.string()),
    'form-action': z.array(z.string()),
    'img-src': z.array(z.string()),
    'media-src': z.array(z.string()),
    'object-src': z.array(z.string()),
  })
  .strict();

/** What a UI page and an extension both declare; an extension adds the sockets it mounts in. */
const pageFields = {
  id: z.string(),
  name: z.string().min(1),
  description: z.string(),
  path: z.string().min(1),
  entrypoint: z.string().min(1),
  content_security_policy: cspSchema,
  permissions: z.array(z.string()),
};

const extensionSchema = z
  .object({ ...pageFields, sockets: z.array(z.string().min(1)).min(1), is_ui_builder: z.boolean() })
  .strict();

const pageSchema = z.object(pageFields).strict();

const workflowIntegrationSchema = z
  .object({ id: z.string(), disruptive: z.boolean(), system_action: z.boolean(), tags: z.array(z.string()) })
  .strict();

export const handlerSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().max(200),
    method: z.enum(['GET', 'POST', 'PUT', 'DELETE']),
    api_path: z.string().regex(/^\/[A-Za-z0-9/_-]*$/, 'api_path is an exact path such as /page-run; the FDK routers match no {param} templates'),
    payload_type: z.enum(['', 'complex']),
    request_schema: z.string().min(1).nullable(),
    response_schema: z.string().min(1).nullable(),
    workflow_integration: workflowIntegrationSchema.nullable(),
    permissions: z.array(z.string()),
  })
  .strict();

export const functionSchema = z
  .object({
    id: z.string(),
    name: z.string().regex(/^[a-z0-9-]+$/, 'function names are lower-case words joined by -'),
    config: z.null(),
    description: z.string().max(100, 'Foundry limits function descriptions to 100 characters'),
    path: z.string().min(1),
    environment_variables: z.record(z.string()),
    language: z.literal('python', { errorMap: () => ({ message: 'this app ships its function on the Python FDK' }) }),
    max_exec_duration_seconds: z.number().int().min(1).max(900),
    max_exec_memory_mb: z.number().int().min(128).max(1024),
    handlers: z.array(handlerSchema).min(1),
  })
  .strict();

const collectionSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9_]{5,200}$/, 'collection names are 5 to 200 letters, digits or _'),
    description: z.string(),
    schema: z.string().min(1),
    permissions: z.array(z.string()),
    workflow_integration: z.object({ system_action: z.boolean(), tags: z.array(z.string()) }).strict().nullable(),
  })
  .strict();

/** `logscale.saved_searches[]` as foundry-sample-scalable-rtr declares one (foundry-platform.md §manifest). */
const savedSearchSchema = z
  .object({
    name: z.string().min(1),
    description: z.string(),
    query_path: z.string().min(1),
    query_params: z.record(z.string()),
    input_schema_path: z.string().min(1).optional(),
    earliest: z.string().min(1),
    latest: z.string().min(1),
    workflow_integration: z.object({ tags: z.array(z.string()), system_action: z.boolean() }).strict(),
    include_test_data: z.boolean(),
  })
  .strict();

export const manifestSchema = z
  .object({
    app_id: z.string(),
    name: z.string().min(1),
    description: z.string(),
    logo: z.string(),
    vendor: z.string(),
    vendor_products: z.array(z.string()),
    use_case: z.string(),
    manifest_version: z.literal('2023-05-09'),
    ignored: z.array(z.string()),
    ui: z
      .object({
        homepage: z.string(),
        extensions: z.array(extensionSchema),
        pages: z.record(pageSchema),
        dashboards: z.record(z.unknown()),
        navigation: z
          .object({ links: z.array(z.object({ path: z.string(), name: z.string(), permissions: z.array(z.string()), ref: z.string() }).strict()) })
          .strict(),
      })
      .strict(),
    api_integrations: z.array(z.unknown()),
    rtr_scripts: z.array(z.unknown()),
    collections: z.array(collectionSchema),
    auth: z
      .object({
        scopes: z.array(z.string().regex(/^[a-z0-9-]+:(read|write)$/, 'scopes look like alerts:read')),
        permissions: z.record(z.unknown()),
        roles: z.array(z.unknown()),
      })
      .strict(),
    functions: z.array(functionSchema),
    workflows: z.array(z.object({ id: z.string(), name: z.string().min(1), path: z.string().min(1), permissions: z.array(z.string()) }).strict()),
    parsers: z.array(z.unknown()),
    logscale: z.object({ saved_searches: z.array(savedSearchSchema) }).strict(),
    lookup_files: z.array(z.unknown()),
  })
  .strict();

export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestSavedSearch = z.infer<typeof savedSearchSchema>;
export type ManifestFunction = z.infer<typeof functionSchema>;
export type ManifestHandler = z.infer<typeof handlerSchema>;
