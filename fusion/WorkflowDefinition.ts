import { z } from 'zod';

/** Platform action ids the samples use (foundry-platform.md §3.2). */
export const PLATFORM_ACTIONS = {
  createVariable: '702d15788dbbffdf0b68d8e2f3599aa4',
  updateVariable: '6c6eab39063fa3b72d98c82af60deb8a',
  printData: 'aadbf530e35fc452a032f5f8acaaac2a',
  breakLoop: '08277433694a898fee7a993d614d9836',
  writeToLogRepo: '0ec68880256f6192b9abef766d31fb04',
} as const;

const nextSchema = z.array(z.string().min(1)).default([]);

export const actionSchema = z
  .object({
    id: z.string().min(1),
    name: z.string().optional(),
    class: z.string().optional(),
    next: nextSchema,
    properties: z.record(z.unknown()).default({}),
    version_constraint: z.string().optional(),
  })
  .strict();

export const conditionSchema = z
  .object({
    next: nextSchema,
    else: nextSchema,
    expression: z.string().min(1).optional(),
    cel_expression: z.string().min(1).optional(),
    display: z.array(z.string()).optional(),
  })
  .strict()
  .refine((c) => (c.expression === undefined) !== (c.cel_expression === undefined), { message: 'a condition needs exactly one of expression and cel_expression' });

const loopForSchema = z
  .object({
    input: z.string(),
    condition: z.string().min(1).optional(),
    cel_condition: z.string().min(1).optional(),
    condition_display: z.array(z.string()).optional(),
    max_iteration_count: z.number().int().positive().optional(),
    max_execution_seconds: z.number().int().positive().optional(),
    sequential: z.boolean().optional(),
    continue_on_partial_execution: z.boolean().optional(),
  })
  .strict();

export const loopSchema = z
  .object({
    display: z.string().optional(),
    next: nextSchema,
    for: loopForSchema,
    trigger: z.object({ next: nextSchema }).strict(),
    actions: z.record(actionSchema).default({}),
    conditions: z.record(conditionSchema).default({}),
  })
  .strict();

const scheduleSchema = z
  .object({
    time_cycle: z.string().min(1),
    tz: z.string().min(1),
    start_date: z.string().optional(),
    end_date: z.string().optional(),
    skip_concurrent: z.boolean().optional(),
  })
  .strict();

const triggerSchema = z
  .object({
    next: z.array(z.string().min(1)).min(1),
    name: z.string().optional(),
    type: z.literal('On demand').optional(),
    event: z.literal('Schedule').optional(),
    schedule: scheduleSchema.optional(),
    parameters: z.record(z.unknown()).optional(),
  })
  .strict();

export const workflowSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    provision_on_install: z.boolean().optional(),
    parameters: z.record(z.unknown()).optional(),
    trigger: triggerSchema,
    actions: z.record(actionSchema).default({}),
    conditions: z.record(conditionSchema).default({}),
    loops: z.record(loopSchema).default({}),
    output_fields: z.array(z.string()).optional(),
    summary: z.string().optional(),
  })
  .strict();

export type WorkflowDefinition = z.infer<typeof workflowSchema>;
export type WorkflowAction = z.infer<typeof actionSchema>;
export type WorkflowCondition = z.infer<typeof conditionSchema>;
export type WorkflowLoop = z.infer<typeof loopSchema>;

/** One graph level: the workflow itself or a loop body. Node keys are unique within it. */
export interface Scope {
  actions: Record<string, WorkflowAction>;
  conditions: Record<string, WorkflowCondition>;
  loops: Record<string, WorkflowLoop>;
}

export type TriggerKind = { kind: 'on-demand'; inputSchema: Record<string, unknown> | null } | { kind: 'schedule'; cron: string; skipConcurrent: boolean };

export function triggerOf(workflow: WorkflowDefinition): TriggerKind {
  const trigger = workflow.trigger;
  if (trigger.event === 'Schedule' && trigger.schedule !== undefined) {
    return { kind: 'schedule', cron: trigger.schedule.time_cycle, skipConcurrent: trigger.schedule.skip_concurrent ?? false };
  }
  return { kind: 'on-demand', inputSchema: trigger.parameters ?? null };
}
