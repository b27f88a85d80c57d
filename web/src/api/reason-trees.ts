// Endpoints of the reason trees (/api/reason-trees/:group): the tree a process group's stops and
// scrap are given reasons from, its versions, and saving the next version. Typed by the schemas the
// server validates with.
import { treeHistorySchema, treeViewSchema } from '../../../src/features/operator-input/schemas.js';
import type { ReasonTree } from '../../../src/core/losses/index.js';
import { requestJson } from './client.js';

export type { ReasonTree };

const treePath = (group: string) => `/api/reason-trees/${encodeURIComponent(group)}`;

/** The tree offered now (version 0: the starter tree, not saved yet). */
export const getReasonTree = (group: string) => requestJson('GET', treePath(group), treeViewSchema);
export const getReasonTreeHistory = (group: string) => requestJson('GET', `${treePath(group)}/history`, treeHistorySchema);
/** `version`: the version edited; a stale one answers 409 (someone saved meanwhile). */
export const saveReasonTree = (group: string, version: number, tree: ReasonTree) => requestJson('PUT', treePath(group), treeViewSchema, { version, tree });
