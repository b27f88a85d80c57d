// The one permission table. Every route declares the permission it needs (or that it is public);
// the server refuses what a role lacks (403) and the web app hides it. Shared by server and browser.
/** The roles of the plant's people, as stored with a user and named by a routing's gate. */
export const ROLES = ['viewer', 'operator', 'lead', 'planner', 'quality', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  /** dashboards, TV, board, machines, calendar, work orders, OEE, history of a record — everyone signed in */
  'plant:read',
  /** production counts, stop reasons, shift logs, operator spreadsheets, sensor uploads (own line for operators) */
  'production:report',
  /** take an imported sensor file back out (its cycles, counts and progress; audited with a reason) */
  'production:undo-import',
  /** work orders: create, edit, delete, import; queue them on the board (load, park, hold, release); re-plan */
  'orders:write',
  /** close an operation; close a work order (electronically signed) */
  'orders:close',
  /** sign a submitted shift report (electronically) and reopen a signed one (audited, with a reason) */
  'shifts:sign',
  /** sign off a gate after a step (QC release, supervisor sign-off); the signer's role must be the gate's */
  'gates:sign',
  /** production calendar: week overrides, holidays, the default week (electronically signed) */
  'calendar:write',
  /** OEE profiles (electronically signed) */
  'oee:write',
  /** the audit trail of the whole plant and its exports */
  'audit:read',
  /** plant model: site, process groups, machines, products and routings */
  'plant:write',
  /** users, roles, unlocking and resetting accounts */
  'users:admin',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const everything = [...PERMISSIONS];

/** What each role may do. Roles are not a hierarchy: each line is the whole answer for that role. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  viewer: ['plant:read'],
  operator: ['plant:read', 'production:report'],
  lead: ['plant:read', 'production:report', 'production:undo-import', 'orders:write', 'orders:close', 'shifts:sign', 'gates:sign'],
  planner: ['plant:read', 'orders:write', 'calendar:write'],
  quality: ['plant:read', 'production:undo-import', 'orders:close', 'gates:sign', 'oee:write', 'audit:read'],
  manager: ['plant:read', 'production:report', 'production:undo-import', 'orders:write', 'orders:close', 'shifts:sign', 'gates:sign', 'calendar:write', 'oee:write', 'audit:read'],
  admin: everything,
};

/** Roles that report only for the lines assigned to them: with none assigned they report for no line (fail closed). */
export const LINE_LIMITED_ROLES: readonly Role[] = ['operator'];

export const ROLE_LABELS: Record<Role, string> = {
  viewer: 'Viewer',
  operator: 'Operator',
  lead: 'Shift lead',
  planner: 'Planner',
  quality: 'Quality',
  manager: 'Manager',
  admin: 'Administrator',
};

/** What a permission lets someone do, in the words of the screens ("You don't have permission to …"). */
export const PERMISSION_ACTIONS: Record<Permission, string> = {
  'plant:read': "see the plant's screens",
  'production:report': 'report production (counts, stop reasons, scrap, crew, shift logs, sensor files)',
  'production:undo-import': 'undo an imported sensor file',
  'orders:write': 'plan work orders (create, change, load, park or hold them)',
  'orders:close': 'close steps and work orders',
  'shifts:sign': 'sign or reopen shift reports',
  'gates:sign': 'sign off gates such as QC release',
  'calendar:write': 'change the production calendar',
  'oee:write': 'change OEE profiles',
  'audit:read': 'see the audit trail',
  'plant:write': 'change the plant set-up (process groups, machines, products)',
  'users:admin': 'manage users',
};

const ROLE_WITH_ARTICLE: Record<Role, string> = {
  viewer: 'a viewer',
  operator: 'an operator',
  lead: 'a shift lead',
  planner: 'a planner',
  quality: 'someone in quality',
  manager: 'a manager',
  admin: 'an administrator',
};

/** Who to ask for something that needs `permission`: "a planner, a manager or an administrator". */
export function whoMay(permission: Permission): string {
  const roles = ROLES.filter((role) => role !== 'admin' && ROLE_PERMISSIONS[role].includes(permission)).map((role) => ROLE_WITH_ARTICLE[role]);
  const all = [...roles, ROLE_WITH_ARTICLE.admin];
  return all.length === 1 ? all[0] : `${all.slice(0, -1).join(', ')} or ${all[all.length - 1]}`;
}

/**
 * The plain answer to a refused request, for the person who got it (no permission keys): the one
 * wording the server sends and the web app shows for every 403 of a missing permission.
 */
export function refusalMessage(permission: Permission | null): string {
  if (!permission) return "You don't have permission to do this — ask an administrator.";
  return `You don't have permission to ${PERMISSION_ACTIONS[permission]} — ask ${whoMay(permission)}.`;
}

// One bit per permission: the check on every request is a table look-up and an AND.
const BIT = new Map<string, number>(PERMISSIONS.map((p, i) => [p, 1 << i]));
const ROLE_MASK = new Map<string, number>(
  ROLES.map((role) => [role, ROLE_PERMISSIONS[role].reduce((mask, p) => mask | (BIT.get(p) ?? 0), 0)]),
);

/** Whether `role` holds `permission`. Unknown roles and permissions hold nothing. */
export function can(role: string | null | undefined, permission: Permission): boolean {
  if (!role) return false;
  const mask = ROLE_MASK.get(role);
  const bit = BIT.get(permission);
  return mask !== undefined && bit !== undefined && (mask & bit) !== 0;
}

export function permissionsOf(role: string): Permission[] {
  return PERMISSIONS.filter((p) => can(role, p));
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function isPermission(value: string): value is Permission {
  return BIT.has(value);
}

/**
 * How a route is protected, from its `config`: `public` (no sign-in), `authenticated` (any signed-in
 * user), `permission` (signed in and holding it) or none of them — an undeclared route, which only an administrator may call and which a
 * test lists so that it gets declared.
 */
export type RouteAccess = { kind: 'public' } | { kind: 'authenticated' } | { kind: 'permission'; permission: Permission } | { kind: 'undeclared' };

/** The access declaration of a route's config (`authenticated`: any signed-in user, e.g. sign-out). */
export interface AccessDeclaration {
  public?: boolean;
  authenticated?: boolean;
  permission?: string;
}

export function routeAccess(config: AccessDeclaration | undefined): RouteAccess {
  if (config?.public === true) return { kind: 'public' };
  if (config?.authenticated === true) return { kind: 'authenticated' };
  const permission = config?.permission;
  if (typeof permission === 'string') {
    if (!isPermission(permission)) throw new Error(`unknown permission '${permission}' in a route's config (known: ${PERMISSIONS.join(', ')})`);
    return { kind: 'permission', permission };
  }
  return { kind: 'undeclared' };
}

/** The decision for one request: 'allow', or the status to refuse with. */
export function decide(access: RouteAccess, role: string | null): 'allow' | 401 | 403 {
  if (access.kind === 'public') return 'allow';
  if (role === null) return 401;
  if (access.kind === 'authenticated') return 'allow';
  if (access.kind === 'undeclared') return role === 'admin' ? 'allow' : 403;
  return can(role, access.permission) ? 'allow' : 403;
}
