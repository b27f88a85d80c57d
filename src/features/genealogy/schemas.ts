// Genealogy schemas, shared by the API (validation, OpenAPI), the web app and the features that put
// a lot's genealogy in its record (traceBackward / traceForward return these shapes).
// Every time is an ISO 8601 string in plant time WITH its zone offset ("2026-12-01T14:03:27-08:00").
import { z } from 'zod';
import { int32, int32FromText } from '../../core/limits.js';
import { reasonSchema } from '../../core/reasons.js';
import { lotSchema } from '../orders/schemas.js';

export const directionSchema = z.enum(['forward', 'backward']);
export type TraceDirection = z.infer<typeof directionSchema>;

/** A QC release (or other gate) passed after the lot's step, with its signer. */
export const releaseSchema = z.object({
  gate: z.string(),
  signedBy: z.string(),
  signedAt: z.string(),
  meaning: z.string(),
});

/** One lot at one step of its routing (a pouch lot's pouching, a kit lot's kitting). */
export const traceNodeSchema = z.object({
  lot: z.string(),
  step: z.number().int(),
  /** false: a link names a lot whose work order no longer exists */
  exists: z.boolean(),
  product: z.string().nullable(),
  productName: z.string().nullable(),
  /** the step's process group key and name (pouching-itrak / "Pouching – iTrak") */
  group: z.string().nullable(),
  groupName: z.string().nullable(),
  machine: z.string().nullable(),
  machineName: z.string().nullable(),
  state: z.string().nullable(),
  good: z.number(),
  start: z.string().nullable(),
  end: z.string().nullable(),
  release: releaseSchema.nullable(),
});

/** `quantity` units of consumedLot's output (its step consumedStep) went into kitLot (its step kitStep). */
export const traceLinkSchema = z.object({
  /** 1 = directly into / out of the traced lot; 2 = one level further (a combo kit of a kit) … */
  depth: z.number().int(),
  consumedLot: z.string(),
  consumedStep: z.number().int(),
  kitLot: z.string(),
  kitStep: z.number().int(),
  quantity: z.number(),
  /** from the routing (the lot's own pouching step feeds its own kitting step), not entered */
  derived: z.boolean(),
  enteredBy: z.string().nullable(),
  enteredAt: z.string().nullable(),
});

export const traceSchema = z.object({
  /** the traced lots (one, or a recall's several) */
  lots: z.array(z.string()),
  direction: directionSchema,
  zone: z.string(),
  generatedAt: z.string(),
  links: z.array(traceLinkSchema),
  /** every lot-step a link names, and the traced ones */
  nodes: z.array(traceNodeSchema),
});
export type TraceNode = z.infer<typeof traceNodeSchema>;
export type TraceLink = z.infer<typeof traceLinkSchema>;
export type Trace = z.infer<typeof traceSchema>;

/** The consumption of a kit lot as its work-order page shows it, and what its pouches went into. */
export const consumptionSchema = z.object({
  lot: z.string(),
  /** the consuming step of the lot's routing; null = the lot consumes nothing (a pouch-only product) */
  kitStep: z.number().int().nullable(),
  /** 0 = nothing entered (the derived link applies); send it back with a change */
  version: z.number().int(),
  entered: z.boolean(),
  /** true when the routing gives a derived link (the lot's own pouching step feeds its kitting step) */
  derivable: z.boolean(),
  updatedBy: z.string().nullable(),
  updatedAt: z.string().nullable(),
  backward: traceSchema,
  forward: traceSchema,
});
export type Consumption = z.infer<typeof consumptionSchema>;

export const consumptionUpdateSchema = z.object({
  /** the version the client read (0 = none entered yet) */
  version: int32().min(0),
  lots: z
    .array(
      z.object({
        lot: lotSchema,
        quantity: int32().positive('must be > 0'),
        /** the consumed lot's step whose output went in; default: its pouching (last non-kitting) step */
        step: int32().min(0).max(19).optional(),
      }),
    )
    .min(1, 'name at least one consumed lot (remove the entry to go back to the derived link)')
    .max(200),
  reason: reasonSchema,
});
export type ConsumptionUpdate = z.input<typeof consumptionUpdateSchema>;

export const consumptionDeleteQuery = z.object({ version: int32FromText().min(1) });
export const traceQuery = z.object({ direction: directionSchema.default('backward') });
export const genealogyLotParams = z.object({ lot: z.string().min(1).max(40) });
